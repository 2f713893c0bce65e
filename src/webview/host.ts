/**
 * The panel's side of the host channel: `acquireVsCodeApi().postMessage` out,
 * `window` message events in, wrapped in the shared RpcEndpoint.
 */
import { RpcEndpoint, type Transport } from '../core/protocol/rpc';
import type { FromWebviewEvents, HostPanelApi, ToWebviewEvents, WebviewPanelApi } from '../core/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export type HostRpc = RpcEndpoint<WebviewPanelApi, HostPanelApi, ToWebviewEvents, FromWebviewEvents>;

/** What the panel remembers across hide/show (vscode.setState). */
export interface SavedState {
  view?: string;
  smoothing?: number;
  logScale?: boolean;
  sample?: number;
  /** Graph: every layer its own node (no activation/dropout badges). */
  everyLayer?: boolean;
  /** Graph: draw runs of repeated blocks as one node (unset: when the graph is big). */
  groupRepeats?: boolean;
}

export interface Host {
  rpc: HostRpc;
  saved(): SavedState;
  save(patch: Partial<SavedState>): void;
}

export function connectHost(): Host {
  const api = acquireVsCodeApi();
  const transport: Transport = {
    send: (m) => api.postMessage(m),
    onMessage: (listener) => {
      const h = (e: MessageEvent) => listener(e.data);
      window.addEventListener('message', h);
      return () => window.removeEventListener('message', h);
    },
  };
  const rpc: HostRpc = new RpcEndpoint(transport);
  let state: SavedState = (api.getState() as SavedState | undefined) ?? {};
  return {
    rpc,
    saved: () => state,
    save: (patch) => {
      state = { ...state, ...patch };
      api.setState(state);
    },
  };
}
