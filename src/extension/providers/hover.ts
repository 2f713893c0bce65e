/** Hover on a layer line: arguments with Keras defaults, output shape, parameter formula. */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { layerHoverMarkdown, modelSummaryMarkdown } from '../text/hover-text';
import { layerAtLine, modelAtLine } from '../text/model-pick';
import { describe } from './describe';

export function registerHover(ctx: HostContext): vscode.Disposable {
  return vscode.languages.registerHoverProvider(ctx.selector, {
    provideHover(doc, pos) {
      const { models } = ctx.documents.get(doc);
      const model = modelAtLine(models, pos.line + 1);
      if (!model) return undefined;
      const layer = layerAtLine(model, pos.line + 1, pos.character + 1);
      if (!layer) {
        // The build line (`model = keras.Model(…)`, where the lenses stand): the whole summary.
        if (pos.line + 1 !== model.range.line) return undefined;
        const md = new vscode.MarkdownString(modelSummaryMarkdown(model, vscode.workspace.asRelativePath(doc.uri)));
        md.isTrusted = false;
        return new vscode.Hover(md);
      }
      const md = new vscode.MarkdownString(layerHoverMarkdown(layer, describe(ctx, layer, model)));
      md.isTrusted = false;
      return new vscode.Hover(md);
    },
  });
}
