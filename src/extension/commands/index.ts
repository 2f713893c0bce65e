/**
 * Every command as a small factory taking the context (rust-analyzer's `main.ts`).
 * Each is wrapped so that an error becomes a message (and a log line), never an unhandled
 * rejection.
 */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { errorMessage } from '../log';
import { evaluate } from './evaluate';
import { installNative } from './install-native';
import { UserError } from './pick-model';
import { predictImage } from './predict';
import { openRun, showGraph, showLog, stopTraining } from './simple';
import { train } from './train';
import { trainVariants } from './train-variants';

type Factory = (ctx: HostContext) => (...args: unknown[]) => unknown;

export const COMMANDS: Record<string, Factory> = {
  'modelLens.train': (ctx) => train(ctx, false),
  'modelLens.trainWithOptions': (ctx) => train(ctx, true),
  'modelLens.trainVariants': trainVariants,
  'modelLens.evaluate': evaluate,
  'modelLens.predictImage': predictImage,
  'modelLens.showGraph': showGraph,
  'modelLens.stopTraining': stopTraining,
  'modelLens.openRun': openRun,
  'modelLens.installNativeBackend': installNative,
  'modelLens.showLog': showLog,
};

export function registerCommands(ctx: HostContext): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(COMMANDS).map(([id, factory]) => {
      const run = factory(ctx);
      return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (e) {
          const msg = errorMessage(e);
          if (e instanceof UserError) {
            void vscode.window.showInformationMessage(`Model Lens: ${msg}`);
          } else if ((e as { code?: string }).code === 'cancelled') {
            ctx.log.info(`${id}: cancelled`);
          } else {
            ctx.log.error(`${id} failed`, e);
            void vscode.window.showErrorMessage(`Model Lens: ${msg}`, 'Show Log').then((a) => a && ctx.log.show(), () => undefined);
          }
          return undefined;
        }
      });
    }),
  );
}
