/** Everything providers and commands share, built once in `activate`. */
import type * as vscode from 'vscode';
import type { ModelDocuments } from './documents';
import type { Log } from './log';
import type { Panels } from './panel/panels';
import type { DatasetTrust } from './runs/dataset-trust';
import type { RunManager } from './runs/run-manager';
import type { WorkerHost } from './runs/worker-host';
import type { Settings } from './settings';

export interface HostContext {
  readonly extension: vscode.ExtensionContext;
  readonly settings: Settings;
  readonly log: Log;
  readonly documents: ModelDocuments;
  readonly worker: WorkerHost;
  readonly runs: RunManager;
  readonly panels: Panels;
  /** Workspace Trust for data paths from the workspace (settings, model file, run.json). */
  readonly datasetTrust: DatasetTrust;
  /** Python and JSON documents. */
  readonly selector: vscode.DocumentSelector;
  /** `node_modules` folder of the installed native backend, when installed. */
  nativeModulePath(): string | undefined;
}
