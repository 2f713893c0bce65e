/** Context keys for `when` clauses: the active editor has a model; any open file has one. */
import * as vscode from 'vscode';
import type { HostContext } from '../context';

export function registerContextKeys(ctx: HostContext): vscode.Disposable {
  let last = '';
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const active = !!editor && ctx.documents.get(editor.document).models.length > 0;
    const any = active || vscode.workspace.textDocuments.some((d) => (ctx.documents.peek(d.uri)?.models.length ?? 0) > 0);
    const sig = `${active}|${any}`;
    if (sig === last) return;
    last = sig;
    void vscode.commands.executeCommand('setContext', 'modelLens.activeEditorHasModel', active);
    void vscode.commands.executeCommand('setContext', 'modelLens.anyModel', any);
  };
  const initial = setTimeout(update, 0); // not during activation: reading may load the parser
  return vscode.Disposable.from(
    { dispose: () => clearTimeout(initial) },vscode.window.onDidChangeActiveTextEditor(update), ctx.documents.onDidChange(update), vscode.workspace.onDidCloseTextDocument(update));
}
