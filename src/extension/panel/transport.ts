/** The RPC transport over a webview's postMessage (typed arrays cross as-is). */
import type * as vscode from 'vscode';
import type { Envelope, Transport } from '../../core/protocol/rpc';

export function webviewTransport(webview: vscode.Webview): Transport & vscode.Disposable {
  const listeners = new Set<(m: unknown) => void>();
  const sub = webview.onDidReceiveMessage((m: unknown) => {
    for (const l of [...listeners]) l(m);
  });
  return {
    send(message: Envelope) {
      // postMessage is async; a message to a disposed panel is simply dropped.
      try {
        void Promise.resolve(webview.postMessage(message)).catch(() => undefined);
      } catch {
        /* disposed */
      }
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      listeners.clear();
      sub.dispose();
    },
  };
}
