/**
 * A minimal stand-in for the `vscode` module, enough for the host classes that only need
 * events, messages and workspace folders (WorkerHost, RunManager). Import this file first.
 */
import Module from 'node:module';

export const shown: { kind: string; message: string }[] = [];

class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  event = (l: (e: T) => void) => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}

export const workspaceState = { folders: [] as { uri: { fsPath: string; scheme: string } }[] };

class TreeItem {
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  id?: string;
  constructor(
    public label: string,
    public collapsibleState: number,
  ) {}
}
class ThemeIcon {
  constructor(public id: string) {}
}
class MarkdownString {
  isTrusted = false;
  constructor(public value: string) {}
}

class Range {
  constructor(
    public start: unknown,
    public end: unknown,
  ) {}
}
/** Records its edits; a test's `workspace.applyEdit` applies them to its own document. */
class WorkspaceEdit {
  readonly edits: { uri: { fsPath: string }; range: Range; text: string }[] = [];
  replace(uri: { fsPath: string }, range: Range, text: string) {
    this.edits.push({ uri, range, text });
  }
}

const stub = {
  Range,
  WorkspaceEdit,
  EventEmitter,
  TreeItem,
  ThemeIcon,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  commands: {} as Record<string, unknown>,
  Uri: { file: (fsPath: string) => ({ fsPath, scheme: 'file' }) },
  window: {
    showErrorMessage: (message: string) => (shown.push({ kind: 'error', message }), Promise.resolve(undefined)),
    showInformationMessage: (message: string) => (shown.push({ kind: 'info', message }), Promise.resolve(undefined)),
    showWarningMessage: (message: string) => (shown.push({ kind: 'warning', message }), Promise.resolve(undefined)),
  },
  workspace: {
    get workspaceFolders() {
      return workspaceState.folders;
    },
    getWorkspaceFolder: (uri: { fsPath: string }) => workspaceState.folders.find((f) => uri.fsPath.startsWith(f.uri.fsPath + '/')),
    textDocuments: [] as unknown[],
    asRelativePath: (p: string) => workspaceState.folders.reduce((acc, f) => (acc.startsWith(f.uri.fsPath + '/') ? acc.slice(f.uri.fsPath.length + 1) : acc), p),
    onDidChangeWorkspaceFolders: () => ({ dispose: () => undefined }),
  },
};

const M = Module as unknown as { _resolveFilename: (r: string, ...a: unknown[]) => string };
const resolve = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub } as unknown as NodeJS.Module;
