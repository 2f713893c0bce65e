/**
 * Drives the VS Code workbench served by code-server in Debian's headless Chromium
 * (playwright-core). Selectors are the workbench's own DOM classes (VS Code 1.100).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { RENDERED_LINE } from './in-page';

export const EXTENSION_ID = 'model-lens.model-lens';

function webviewSelector(extensionId: string): string {
  return `iframe.webview.ready[src*="extensionId=${extensionId}"]`;
}

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export class Workbench {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly shotsDir: string,
    private readonly profileDir: string,
  ) {}

  /** A fresh Chromium profile (its own folder, not $HOME) on a 1400×900 page. */
  static async launch(profileDir: string, shotsDir: string): Promise<Workbench> {
    fs.mkdirSync(profileDir, { recursive: true });
    fs.mkdirSync(shotsDir, { recursive: true });
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-quic',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return new Workbench(context, page, shotsDir, profileDir);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    fs.rmSync(this.profileDir, { recursive: true, force: true });
  }

  async shot(name: string): Promise<string> {
    const file = path.join(this.shotsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Loads the workbench and waits until the explorer lists `firstFile`. */
  async open(url: string, firstFile: string): Promise<void> {
    await this.page.goto(url);
    await this.explorerRow(firstFile).waitFor({ timeout: 120_000 });
  }

  explorerRow(name: string): Locator {
    return this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
  }

  /** Opens a file from the explorer and waits until its text is in the editor. */
  async openFile(name: string, textInFile: string): Promise<void> {
    await this.explorerRow(name).click();
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
    await this.editorLines().filter({ hasText: textInFile }).first().waitFor({ timeout: 30_000 });
  }

  /** The text lines of the Python editor (the first editor group). */
  editorLines(): Locator {
    return this.page.locator('.editor-instance .monaco-editor .view-lines .view-line');
  }

  /** A code lens whose title contains `text`. */
  lens(text: string | RegExp): Locator {
    return this.page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
  }

  async lensTitles(): Promise<string[]> {
    return (await this.page.locator('.monaco-editor .codelens-decoration a').allTextContents()).map((t) => t.trim());
  }

  /**
   * The rendered text of the first editor line containing `needle`, including injected text
   * such as inlay hints and `after` decorations (rendered as CSS content or as spans).
   */
  async renderedLine(needle: string): Promise<string> {
    return this.page.evaluate(`(${RENDERED_LINE})(${JSON.stringify(needle)})`);
  }

  /**
   * Focus in the editor of `file`, cursor at the start of the file: its tab, then Go to Line 1
   * (clicks inside the text would scroll the editor or land on overlays).
   */
  async focusEditorTop(file: string): Promise<void> {
    await this.page.locator('.tabs-container .tab', { hasText: file }).first().click();
    await this.gotoLine(1);
    const top = await poll(async () => {
      const p = await this.cursorPosition();
      return p?.line === 1 && p.col === 1;
    }, 5000, 100);
    if (!top) throw new Error(`cursor not at the top of ${file}: ${JSON.stringify(await this.cursorPosition())}`);
  }

  /**
   * Go to Line. The box does not always open, or closes again at once, when Ctrl+G comes right
   * after the focus moved (seen in CI after a prediction updated the panel): then Escape, focus the
   * editor group (Ctrl+1) and try again.
   */
  async gotoLine(line: number): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+G');
      try {
        await input.waitFor({ state: 'visible', timeout: 3000 });
        await input.fill(`:${line}`, { timeout: 3000 });
        break;
      } catch (e) {
        if (attempt === 4) throw e;
        console.log(`gotoLine ${line}: the box did not take input (attempt ${attempt}), trying again`);
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Control+1');
      }
    }
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** "Ln 25, Col 1" from the status bar. */
  async cursorPosition(): Promise<{ line: number; col: number } | null> {
    const t = await this.page.locator('[id="status.editor.selection"]').textContent({ timeout: 5000 }).catch(() => null);
    const m = t?.match(/Ln (\d+), Col (\d+)/);
    return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
  }

  /** Runs a command from the palette by its full label (e.g. "Model Lens: Predict Image…"). */
  async runCommand(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    // F1 can be swallowed when the focus sits inside a webview's frame (seen once on CI after the
    // Runs tab): then move the focus back to the workbench's own document and ask again.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(attempt % 2 === 1 ? 'F1' : 'Control+Shift+P');
      try {
        await input.waitFor({ state: 'visible', timeout: 4000 });
        break;
      } catch (e) {
        if (attempt === 4) throw e;
        console.log(`runCommand ${label}: the palette did not open (attempt ${attempt}), trying again`);
        await this.page.keyboard.press('Escape');
        await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()).catch(() => undefined);
      }
    }
    await input.fill(`>${label}`);
    const row = this.quickPickRow(label);
    await row.first().waitFor({ timeout: 10_000 });
    await row.first().click();
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  quickPickRow(text: string | RegExp): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text });
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  }

  async notificationTexts(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast').allTextContents();
  }

  statusItem(text: string | RegExp): Locator {
    return this.page.locator('.statusbar .statusbar-item', { hasText: text });
  }

  /** Opens the Problems panel and returns its rows' texts. */
  async problems(): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.runCommand('View: Focus Problems');
    await panel.waitFor({ timeout: 10_000 });
    return (await panel.locator('.monaco-list-row').allTextContents()).map((t) => t.trim());
  }

  /** Hides the bottom panel (Problems, Output…) so the editor has its height back. */
  async closePanel(): Promise<void> {
    if (await this.page.locator('.part.panel.bottom').isVisible()) await this.runCommand('View: Hide Panel');
  }

  /** The panel's inner document (the webview of the given extension). */
  webview(extensionId = EXTENSION_ID): FrameLocator {
    return this.page.frameLocator(webviewSelector(extensionId)).frameLocator('iframe#active-frame');
  }

  /**
   * The panel's inner frame itself, for `evaluate` with source text (runs through the DevTools
   * protocol, so the panel's strict CSP does not block it).
   */
  async webviewFrame(extensionId = EXTENSION_ID): Promise<Frame> {
    const outer = await this.page.locator(webviewSelector(extensionId)).first().elementHandle({ timeout: 30_000 });
    const outerFrame = await outer?.contentFrame();
    const inner = await outerFrame?.locator('iframe#active-frame').elementHandle({ timeout: 30_000 });
    const frame = await inner?.contentFrame();
    if (!frame) throw new Error(`no webview of ${extensionId} in the workbench`);
    return frame;
  }
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes; returns the last value. */
export async function poll<T>(fn: () => Promise<T>, timeoutMs: number, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await fn();
  while (!v && Date.now() < end) {
    await new Promise((r) => setTimeout(r, everyMs));
    v = await fn();
  }
  return v;
}
