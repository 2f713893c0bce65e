/**
 * Workspace Trust for data paths. In an untrusted workspace a dataset path that comes from the
 * workspace — the `modelLens.datasetPath` setting, the model file, or a run's `run.json` — is read
 * only after the user says yes in a modal prompt; a yes holds for that path until the window
 * closes. Built-in datasets and paths the user typed need no prompt.
 */
import { isBuiltinDataset } from '../text/train-settings';

export interface TrustDeps {
  isTrusted(): boolean;
  /** Shows the modal question; true when the user accepts. */
  ask(message: string, detail: string, accept: string): Promise<boolean>;
}

export class DatasetDeclined extends Error {
  readonly code = 'untrusted-data';
}

export class DatasetTrust {
  private readonly approved = new Set<string>();

  constructor(private readonly deps: TrustDeps) {}

  /** Whether data at `dataset` may be read; asks once per path in an untrusted workspace. */
  async allow(dataset: string, origin: string, action = 'Use'): Promise<boolean> {
    if (this.deps.isTrusted() || isBuiltinDataset(dataset) || this.approved.has(dataset)) return true;
    const ok = await this.deps.ask(
      `This workspace is not trusted. ${action} the data at "${dataset}" (from ${origin})?`,
      'Model Lens only reads the data files (it never runs code from the workspace), but the path comes from an untrusted source.',
      action,
    );
    if (ok) this.approved.add(dataset);
    return ok;
  }

  /** As `allow`, but a refusal is an error that says why (for requests that must return data). */
  async require(dataset: string, origin: string): Promise<void> {
    if (!(await this.allow(dataset, origin))) {
      throw new DatasetDeclined(`Reading "${dataset}" (from ${origin}) was declined: this workspace is not trusted. Trust the folder, or choose a built-in dataset.`);
    }
  }
}
