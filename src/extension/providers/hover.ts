/** Hover on a layer line: arguments with Keras defaults, output shape, parameter formula. */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { layerHoverMarkdown } from '../text/hover-text';
import { layerAtLine, modelAtLine } from '../text/model-pick';
import { describe } from './describe';

export function registerHover(ctx: HostContext): vscode.Disposable {
  return vscode.languages.registerHoverProvider(ctx.selector, {
    provideHover(doc, pos) {
      const { models } = ctx.documents.get(doc);
      const model = modelAtLine(models, pos.line + 1);
      if (!model) return undefined;
      const layer = layerAtLine(model, pos.line + 1, pos.character + 1);
      if (!layer) return undefined;
      const md = new vscode.MarkdownString(layerHoverMarkdown(layer, describe(ctx, layer, model)));
      md.isTrusted = false;
      return new vscode.Hover(md);
    },
  });
}
