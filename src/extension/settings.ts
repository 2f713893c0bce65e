/** Every `modelLens.*` setting behind one class of typed getters (read fresh on each use). */
import * as vscode from 'vscode';
import type { BackendChoice } from '../core/protocol/worker';
import type { UserTrainSettings } from './text/train-settings';

const SECTION = 'modelLens';

export class Settings {
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  private num(key: string): number | undefined {
    const v = this.cfg.get<unknown>(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }

  private str(key: string): string | undefined {
    const v = this.cfg.get<unknown>(key);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  }

  get epochs(): number | undefined {
    return this.num('epochs');
  }
  get batchSize(): number | undefined {
    return this.num('batchSize');
  }
  get datasetPath(): string | undefined {
    return this.str('datasetPath');
  }
  /** Whether `datasetPath` was set by the workspace (not the user): needs trust to be used. */
  get datasetPathFromWorkspace(): boolean {
    const i = this.cfg.inspect<string>('datasetPath');
    return !!(i?.workspaceValue || i?.workspaceFolderValue);
  }
  get validationSplit(): number | undefined {
    return this.num('validationSplit');
  }
  get trainLimit(): number | undefined {
    return this.num('trainLimit');
  }
  get testLimit(): number | undefined {
    return this.num('testLimit');
  }
  get backend(): BackendChoice {
    const v = this.cfg.get<string>('backend');
    return v === 'tensorflow' || v === 'wasm' || v === 'cpu' ? v : 'auto';
  }
  /**
   * Threads for the wasm backend when the setting names them; else undefined and the worker uses
   * one per core (it runs below normal priority, so the editor still gets the CPU first).
   */
  get trainingThreads(): number | undefined {
    const n = this.num('threads');
    return n !== undefined && n >= 1 ? Math.floor(n) : undefined;
  }
  get inlineHints(): boolean {
    return this.cfg.get<boolean>('inlineHints') !== false;
  }
  get nodePath(): string | undefined {
    return this.str('nodePath');
  }

  get training(): UserTrainSettings {
    const u: UserTrainSettings = {};
    const set = <K extends keyof UserTrainSettings>(k: K, v: UserTrainSettings[K] | undefined) => {
      if (v !== undefined) u[k] = v;
    };
    set('epochs', this.epochs);
    set('batchSize', this.batchSize);
    set('datasetPath', this.datasetPath);
    set('validationSplit', this.validationSplit);
    set('trainLimit', this.trainLimit);
    set('testLimit', this.testLimit);
    return u;
  }

  static affects(e: vscode.ConfigurationChangeEvent, key: string): boolean {
    return e.affectsConfiguration(`${SECTION}.${key}`);
  }
}
