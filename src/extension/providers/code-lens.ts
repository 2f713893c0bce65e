/** Lenses above each model's build line: Train/Stop + progress, Evaluate, Predict, Show graph, shape flow. */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { modelLenses, unbuiltLenses } from '../text/lens-text';
import { escapeIcons } from '../text/markdown';
import { modelKey } from '../text/model-pick';
import { toRange } from '../ranges';
import type { ModelRef } from '../commands/model-ref';

export function registerCodeLenses(ctx: HostContext): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const result = ctx.documents.get(doc);
      const lenses: vscode.CodeLens[] = [];
      for (const model of result.models) {
        const range = toRange(model.range, doc);
        const at = new vscode.Range(range.start.line, 0, range.start.line, 0);
        const file = doc.uri.fsPath;
        const run = ctx.runs.runningFor(modelKey(file, model.name));
        const ref: ModelRef = { file, model: model.name };
        for (const spec of modelLenses(model, run?.progress, vscode.workspace.asRelativePath(doc.uri))) {
          const title = run?.stopping && spec.command === 'modelLens.stopTraining' ? 'stopping…' : escapeIcons(spec.title);
          const args: ModelRef = spec.view ? { ...ref, view: spec.view } : ref;
          lenses.push(new vscode.CodeLens(at, { title, command: spec.command, arguments: [args], ...(spec.tooltip ? { tooltip: spec.tooltip } : {}) }));
        }
      }
      for (const u of result.unbuilt ?? []) {
        const line = toRange(u.range, doc).start.line;
        for (const spec of unbuiltLenses(u)) lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: escapeIcons(spec.title), command: spec.command, ...(spec.tooltip ? { tooltip: spec.tooltip } : {}) }));
      }
      return lenses;
    },
  };
  const fire = () => changed.fire();
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(ctx.selector, provider),
    ctx.documents.onDidChange(fire),
    ctx.runs.onDidChange(fire),
  );
}
