/**
 * The models of each open Python / JSON document, read with the core reader once per document
 * version, on the reader's own thread (reader-thread.ts) so the editor never waits on a file. Edits
 * are debounced: after the user stops typing for a moment the document is read again, diagnostics
 * are updated and `onDidChange` fires (lenses and hints refresh). Until a version is read, `get`
 * answers with the last result; `current` waits for this version.
 */
import * as vscode from 'vscode';
import type { ReadResult } from '../core/model/ir';
import { Disposable } from './dispose';
import type { Log } from './log';
import { toVsDiagnostic } from './ranges';
import { ReaderThread } from './reader-thread';

type ReadModel = (file: string, text: string, access?: { workspaceRoot?: string }) => ReadResult;

/** Saved models a .py loads must lie in the document's workspace folder. */
const workspaceRoot = (doc: vscode.TextDocument): string | undefined => vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;

const DEBOUNCE_MS = 300;
export const MODEL_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'json' },
  { language: 'jsonc', pattern: '**/*.json' },
];

/** Cheap test before loading the reader: JSON files must look like a Keras / TF.js model. */
export function mayHoldModel(doc: vscode.TextDocument): boolean {
  if (doc.languageId === 'python') return true;
  if (doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') return false;
  const head = doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 400), 0));
  return /"(class_name|modelTopology)"/.test(head);
}

const EMPTY = (file: string): ReadResult => ({ file, models: [], diagnostics: [] });

export class ModelDocuments extends Disposable {
  private readonly cache = new Map<string, { version: number; result: ReadResult }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('model-lens'));
  private reader: ReadModel | undefined;
  private readerLoadMs: number | undefined;
  private readonly thread: ReaderThread | undefined;
  private readonly inflight = new Map<string, { version: number; promise: Promise<ReadResult> }>();

  constructor(private readonly log: Log) {
    super();
    const script = ReaderThread.scriptBeside(__dirname);
    if (script) {
      const thread = new ReaderThread(script, log);
      this.thread = thread;
      this.register({ dispose: () => thread.dispose() });
    }
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        const k = d.uri.toString();
        this.cache.delete(k);
        this.inflight.delete(k);
        clearTimeout(this.timers.get(k));
        this.timers.delete(k);
        this.diagnostics.delete(d.uri);
      }),
    );
    this.register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    // Documents already open are read right after activation, not during it.
    const initial = setTimeout(() => vscode.workspace.textDocuments.forEach((d) => this.refresh(d)), 0);
    this.register({ dispose: () => clearTimeout(initial) });
  }

  /**
   * The models of the document: of this version when it has been read, else the last version read
   * (or none) while this one is read on the reader's thread (`onDidChange` fires when it is done).
   */
  get(doc: vscode.TextDocument): ReadResult {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.result;
    if (this.thread && mayHoldModel(doc)) {
      // While the user types, the debounced refresh reads the document; otherwise read it now.
      if (!this.timers.has(key)) void this.current(doc);
      return hit?.result ?? EMPTY(doc.uri.fsPath || key);
    }
    const result = this.read(doc);
    this.cache.set(key, { version: doc.version, result });
    return result;
  }

  /** The models of exactly this version of the document (waits for the reader's thread). */
  current(doc: vscode.TextDocument): Promise<ReadResult> {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return Promise.resolve(hit.result);
    const thread = this.thread;
    if (!thread || !mayHoldModel(doc)) return Promise.resolve(this.get(doc));
    const pending = this.inflight.get(key);
    if (pending && pending.version === doc.version) return pending.promise;
    const version = doc.version;
    const file = doc.uri.fsPath || key;
    const promise = thread.read(file, doc.getText(), workspaceRoot(doc)).then((result) => {
      if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
      if (!doc.isClosed && doc.version === version) {
        this.cache.set(key, { version, result });
        this.publish(doc, result);
      }
      return result;
    });
    this.inflight.set(key, { version, promise });
    return promise;
  }

  /** Last read result without reading again (may be from an older version). */
  peek(uri: vscode.Uri): ReadResult | undefined {
    return this.cache.get(uri.toString())?.result;
  }

  /** The open document for a file path, if any. */
  openDocument(file: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
  }

  get readerLoadTimeMs(): number | undefined {
    return this.readerLoadMs;
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!mayHoldModel(doc) && !this.cache.has(doc.uri.toString())) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.refresh(doc);
      }, DEBOUNCE_MS),
    );
  }

  private refresh(doc: vscode.TextDocument): void {
    if (doc.isClosed || (!mayHoldModel(doc) && !this.cache.has(doc.uri.toString()))) return;
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (this.thread && mayHoldModel(doc) && !(hit && hit.version === doc.version)) {
      void this.current(doc); // publishes when the thread answers
      return;
    }
    this.publish(doc, this.get(doc));
  }

  private publish(doc: vscode.TextDocument, result: ReadResult): void {
    const all = [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
    this.diagnostics.set(
      doc.uri,
      all.map((d) => toVsDiagnostic(d, doc)),
    );
    this.changed.fire(doc.uri);
  }

  private read(doc: vscode.TextDocument): ReadResult {
    const file = doc.uri.fsPath || doc.uri.toString();
    if (!mayHoldModel(doc)) return EMPTY(file);
    try {
      const root = workspaceRoot(doc);
      return this.loadReader()(file, doc.getText(), root ? { workspaceRoot: root } : {});
    } catch (e) {
      this.log.error(`Reading ${file} failed`, e);
      return EMPTY(file);
    }
  }

  /** The reader (and its Python parser) is loaded on first use, not at activation. */
  private loadReader(): ReadModel {
    if (!this.reader) {
      const t0 = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.reader = (require('../core/read-model') as typeof import('../core/read-model')).readModel;
      this.readerLoadMs = performance.now() - t0;
      this.log.info(`Model reader loaded in ${this.readerLoadMs.toFixed(1)} ms`);
    }
    return this.reader;
  }
}
