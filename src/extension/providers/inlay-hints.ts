/** `→ 28×28×32 · 320` at the end of each layer line, `Total 81 · trainable 5` at each summary() call (setting `modelLens.inlineHints`). */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { hintPlacements, summaryHintPlacements } from '../text/hint-text';
import { Settings } from '../settings';

export function registerInlayHints(ctx: HostContext): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    provideInlayHints(doc, range) {
      if (!ctx.settings.inlineHints) return [];
      const { models } = ctx.documents.get(doc);
      const lineText = (i: number) => (i >= 0 && i < doc.lineCount ? doc.lineAt(i).text : undefined);
      return [...hintPlacements(models, lineText), ...summaryHintPlacements(models, lineText)]
        .filter((h) => h.line >= range.start.line && h.line <= range.end.line)
        .map((h) => {
          const hint = new vscode.InlayHint(new vscode.Position(h.line, h.character), h.text);
          hint.paddingLeft = true;
          hint.tooltip = h.tooltip ?? `${h.layer}: output shape · parameters (Model Lens)`;
          return hint;
        });
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerInlayHintsProvider(ctx.selector, provider),
    ctx.documents.onDidChange(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => Settings.affects(e, 'inlineHints') && changed.fire()),
  );
}
