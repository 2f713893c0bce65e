/** The `Model Lens` output channel: backend chosen and why, data loaded, errors. */
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  private channel: vscode.LogOutputChannel | undefined;

  private get out(): vscode.LogOutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel('Model Lens', { log: true }));
  }

  info(message: string): void {
    this.out.info(message);
  }
  warn(message: string): void {
    this.out.warn(message);
  }
  error(message: string, err?: unknown): void {
    this.out.error(err === undefined ? message : `${message}: ${errorMessage(err)}`);
  }
  show(): void {
    this.out.show(true);
  }
  dispose(): void {
    this.channel?.dispose();
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}
