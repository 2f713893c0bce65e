/** Moving the editor cursor onto a layer line highlights that layer's node in the panel. */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { layerAtLine, modelAtLine } from '../text/model-pick';

export function registerCursorSync(ctx: HostContext): vscode.Disposable {
  let last = '';
  return vscode.window.onDidChangeTextEditorSelection((e) => {
    const doc = e.textEditor.document;
    const result = ctx.documents.peek(doc.uri);
    if (!result || result.models.length === 0) return;
    const pos = e.selections[0]?.active;
    if (!pos) return;
    const model = modelAtLine(result.models, pos.line + 1);
    if (!model) return;
    const layer = layerAtLine(model, pos.line + 1, pos.character + 1)?.name ?? null;
    const sig = `${doc.uri.fsPath}#${model.name}#${layer}`;
    if (sig === last) return;
    last = sig;
    ctx.panels.highlight(doc.uri.fsPath, model.name, layer);
  });
}
