/** Which model a command acts on: the lens's argument, else the active file's (ask when several). */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { currentModel, type ModelSource } from '../runs/model-source';
import { modelAtLine } from '../text/model-pick';
import { shapeFlowText } from '../text/lens-text';
import { isModelRef } from './model-ref';
import type { ModelIR } from '../../core/model/ir';

export class UserError extends Error {}

export async function pickModel(ctx: HostContext, arg: unknown): Promise<ModelSource | undefined> {
  if (isModelRef(arg)) {
    const src = await currentModel(ctx, arg.file, arg.model);
    if (!src) throw new UserError(`${arg.model} is no longer in ${vscode.workspace.asRelativePath(arg.file)}.`);
    return src;
  }
  const editor = vscode.window.activeTextEditor;
  let candidates: { doc: vscode.TextDocument; model: ModelIR }[] = [];
  let preferred: ModelIR | undefined;
  if (editor) {
    const models = ctx.documents.get(editor.document).models;
    candidates = models.map((model) => ({ doc: editor.document, model }));
    preferred = modelAtLine(models, editor.selection.active.line + 1);
  }
  if (candidates.length === 0) {
    // E.g. an image is open: offer the models of the open files.
    candidates = vscode.workspace.textDocuments.flatMap((doc) => (ctx.documents.peek(doc.uri)?.models ?? []).map((model) => ({ doc, model })));
  }
  if (candidates.length === 0) {
    throw new UserError(
      editor
        ? `No Keras model found in ${vscode.workspace.asRelativePath(editor.document.uri)}. Open a Python file that builds a model (tf.keras.Model(...), Sequential([...])) or a Keras / TF.js model.json.`
        : 'Open a Python file that builds a Keras model first.',
    );
  }
  let chosen = candidates[0]!;
  if (candidates.length > 1) {
    const items = candidates.map((c) => ({
      label: c.model.name,
      description: `${shapeFlowText(c.model)}${c.model === preferred ? ' · at cursor' : ''}`,
      detail: `${vscode.workspace.asRelativePath(c.doc.uri)}:${c.model.range.line}`,
      c,
    }));
    items.sort((a, b) => Number(b.c.model === preferred) - Number(a.c.model === preferred));
    const pick = await vscode.window.showQuickPick(items, { title: 'Model Lens: which model?', placeHolder: 'Several models are in this file' });
    if (!pick) return undefined;
    chosen = pick.c;
  }
  return currentModel(ctx, chosen.doc.uri.fsPath, chosen.model.name);
}
