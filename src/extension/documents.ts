/**
 * The models of each open Python / JSON document, read with the core reader once per document
 * version. Edits are debounced: after the user stops typing for a moment the document is read
 * again, diagnostics are updated and `onDidChange` fires (lenses and hints refresh).
 */
import * as vscode from 'vscode';
import type { ReadResult } from '../core/model/ir';
import { Disposable } from './dispose';
import type { Log } from './log';
import { toVsDiagnostic } from './ranges';

type ReadModel = (file: string, text: string) => ReadResult;

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

  constructor(private readonly log: Log) {
    super();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        const k = d.uri.toString();
        this.cache.delete(k);
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

  /** The models of this version of the document (read now if not yet read). */
  get(doc: vscode.TextDocument): ReadResult {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.result;
    const result = this.read(doc);
    this.cache.set(key, { version: doc.version, result });
    return result;
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
    const result = this.get(doc);
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
      return this.loadReader()(file, doc.getText());
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
