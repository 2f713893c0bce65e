/**
 * The panel's HTML for a webview of this extension (the graph panel and the saved-model editor
 * share it): the bundled script and stylesheet as webview URIs, a fresh nonce, the strict CSP of
 * `panelHtml`.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { makeNonce, panelHtml } from '../../core/panel-html';

export function webviewPanelHtml(extensionUri: vscode.Uri, webview: vscode.Webview, title: string): string {
  const css = vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css');
  return panelHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    ...(fs.existsSync(css.fsPath) ? { styleUri: webview.asWebviewUri(css).toString() } : {}),
    title,
  });
}
