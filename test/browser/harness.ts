/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Loads the built panel in headless Chromium the way VS Code would: the page comes from
 * `panelHtml` (same CSP), served from a loopback HTTP server, with a stand-in for
 * `acquireVsCodeApi` that records what the panel posts and lets the test answer as the host.
 */
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, panelHtml } from '../../src/core/panel-html';
import type { Envelope } from '../../src/core/protocol/rpc';
import { decode, encode } from './fixtures/codec';
import type { PanelFixture } from './fixtures/types';

export const root = path.resolve(__dirname, '../..');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Builds src/webview/main.ts exactly as scripts/build.mjs does, into `outdir`. */
export async function buildWebview(outdir = path.join(root, 'test-output/webview-build'), minify = false): Promise<string> {
  fs.mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    bundle: true,
    sourcemap: false,
    minify,
    logLevel: 'warning',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir,
    loader: { '.css': 'css' },
  });
  return outdir;
}

export interface Served {
  origin: string;
  close(): Promise<void>;
}

/** Serves `/` (the panel page) and the built files; `extra` adds pages (e.g. a bench page). */
export async function serve(dir: string, extra: Record<string, (origin: string) => string> = {}): Promise<Served> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const page = url.pathname === '/' ? () => panelPage(origin) : extra[url.pathname];
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(origin));
      return;
    }
    const file = path.join(dir, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as { port: number };
  origin = `http://127.0.0.1:${addr.port}`;
  return { origin, close: () => new Promise((r) => server.close(() => r())) };
}

export function panelPage(origin: string): string {
  return panelHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css`, title: 'Model Lens' });
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
}

/** A few VS Code theme variables, enough to see light and dark as the panel would. */
export const THEMES = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-editor-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#6f6f6f', '--vscode-panel-border': '#e5e5e5', '--vscode-focusBorder': '#005fb8',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-red': '#e51400', '--vscode-charts-green': '#388a34',
      '--vscode-charts-yellow': '#bf8803', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-input-background': '#ffffff', '--vscode-input-border': '#cecece',
      '--vscode-input-foreground': '#3b3b3b', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-font-family': 'monospace', '--vscode-panelTitle-activeBorder': '#005fb8', '--vscode-panelTitle-activeForeground': '#3b3b3b',
      '--vscode-panelTitle-inactiveForeground': '#6f6f6f', '--vscode-settings-headerBorder': '#e5e5e5', '--vscode-panel-background': '#f8f8f8',
      '--vscode-editorHoverWidget-background': '#f8f8f8', '--vscode-editorHoverWidget-border': '#c8c8c8', '--vscode-errorForeground': '#f85149',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-editor-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d', '--vscode-panel-border': '#2b2b2b', '--vscode-focusBorder': '#0078d4',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185',
      '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc', '--vscode-input-background': '#313131', '--vscode-input-border': '#3c3c3c',
      '--vscode-input-foreground': '#cccccc', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-font-family': 'monospace', '--vscode-panelTitle-activeBorder': '#0078d4', '--vscode-panelTitle-activeForeground': '#e7e7e7',
      '--vscode-panelTitle-inactiveForeground': '#9d9d9d', '--vscode-settings-headerBorder': '#2b2b2b', '--vscode-panel-background': '#181818',
      '--vscode-editorHoverWidget-background': '#202020', '--vscode-editorHoverWidget-border': '#454545', '--vscode-errorForeground': '#f85149',
    },
  },
  /** VS Code's "Dark High Contrast" (body class vscode-high-contrast). */
  'hc-dark': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff', '--vscode-panel-border': '#6fc3df', '--vscode-focusBorder': '#f38518',
      '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185',
      '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7',
      '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-input-background': '#000000', '--vscode-input-border': '#6fc3df', '--vscode-input-foreground': '#ffffff',
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
      '--vscode-panelTitle-activeBorder': '#f38518', '--vscode-panelTitle-activeForeground': '#ffffff', '--vscode-panelTitle-inactiveForeground': '#ffffff',
      '--vscode-settings-headerBorder': '#6fc3df', '--vscode-panel-background': '#000000', '--vscode-editorHoverWidget-background': '#0c141f',
      '--vscode-editorHoverWidget-border': '#6fc3df', '--vscode-errorForeground': '#f48771',
    },
  },
  /** VS Code's "Light High Contrast" (body classes vscode-high-contrast vscode-high-contrast-light). */
  'hc-light': {
    bodyClass: 'vscode-high-contrast-light',
    vars: {
      '--vscode-editor-foreground': '#292929', '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#292929',
      '--vscode-descriptionForeground': '#292929', '--vscode-panel-border': '#0f4a85', '--vscode-focusBorder': '#006bbd',
      '--vscode-contrastBorder': '#0f4a85', '--vscode-contrastActiveBorder': '#006bbd',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-red': '#b5200d', '--vscode-charts-green': '#388a34',
      '--vscode-charts-yellow': '#895503', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90',
      '--vscode-button-background': '#0f4a85', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#0f4a85',
      '--vscode-button-secondaryBackground': '#ffffff', '--vscode-button-secondaryForeground': '#292929',
      '--vscode-input-background': '#ffffff', '--vscode-input-border': '#0f4a85', '--vscode-input-foreground': '#292929',
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
      '--vscode-panelTitle-activeBorder': '#b5200d', '--vscode-panelTitle-activeForeground': '#292929', '--vscode-panelTitle-inactiveForeground': '#292929',
      '--vscode-settings-headerBorder': '#0f4a85', '--vscode-panel-background': '#ffffff', '--vscode-editorHoverWidget-background': '#ffffff',
      '--vscode-editorHoverWidget-border': '#0f4a85', '--vscode-errorForeground': '#b5200d',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

/**
 * Runs in the page before the panel's script (via CDP, so the page's CSP does not apply to it).
 * Plays VS Code: `acquireVsCodeApi`, theme variables on <html>, the body theme class, and the
 * typed-array codec for messages crossing to and from the test.
 */
const STANDIN_SCRIPT = `(() => {
  const cfg = __CFG__;
  const CT = { Uint8Array, Float32Array, Int32Array, Uint16Array, Float64Array };
  const b64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)); return btoa(s); };
  const enc = (v) => {
    if (ArrayBuffer.isView(v)) return { $typed: v.constructor.name, base64: b64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    if (Array.isArray(v)) return v.map(enc);
    if (v && typeof v === 'object') { const o = {}; for (const k in v) o[k] = enc(v[k]); return o; }
    return v;
  };
  const dec = (v) => {
    if (Array.isArray(v)) return v.map(dec);
    if (v && typeof v === 'object') {
      if (v.$typed) { const bin = atob(v.base64); const u8 = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i); return new CT[v.$typed](u8.buffer); }
      const o = {}; for (const k in v) o[k] = dec(v[k]); return o;
    }
    return v;
  };
  let state = cfg.savedState;
  window.__posted = [];
  window.__violations = [];
  window.__setStateCalls = 0;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(enc(m)); window.__toHost(enc(m)); },
    getState: () => state,
    setState: (s) => { state = s; window.__setStateCalls++; window.__savedState = s; },
  });
  window.__fromHost = (m) => window.dispatchEvent(new MessageEvent('message', { data: dec(m) }));
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  const apply = () => {
    for (const [k, v] of Object.entries(cfg.vars)) document.documentElement.style.setProperty(k, v);
    document.body.classList.add(cfg.bodyClass);
    // As VS Code does: the light high-contrast theme also carries the high-contrast class.
    if (cfg.bodyClass === 'vscode-high-contrast-light') document.body.classList.add('vscode-high-contrast');
  };
  if (document.body) apply(); else document.addEventListener('DOMContentLoaded', apply);
})();`;

export interface PanelOptions {
  theme?: ThemeName;
  width?: number;
  height?: number;
  savedState?: unknown;
  /** Answer requests from the fixture automatically (default true). */
  fixture?: PanelFixture;
  /** Send `state` when the panel says `ready` (default true). */
  sendStateOnReady?: boolean;
}

export interface Panel {
  page: Page;
  /** Envelopes the panel posted, in order (typed arrays decoded). */
  posted: Envelope[];
  consoleErrors: string[];
  /** Sends a host → panel event. */
  emit(event: string, data: unknown): Promise<void>;
  /** Answers a request the panel made (for the requests the fixture does not answer). */
  reply(id: number, result: unknown): Promise<void>;
  /** Resolves with the first posted envelope matching `pred` (already posted or future). */
  waitForPost(pred: (m: Envelope) => boolean, timeoutMs?: number): Promise<Envelope>;
  violations(): Promise<string[]>;
  requests(method: string): Extract<Envelope, { rpc: 'req' }>[];
}

export async function openPanel(browser: Browser, origin: string, opts: PanelOptions = {}): Promise<Panel> {
  const theme = THEMES[opts.theme ?? 'dark'];
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1200, height: opts.height ?? 860 } });
  const page = await context.newPage();
  const posted: Envelope[] = [];
  const consoleErrors: string[] = [];
  const waiters: { pred: (m: Envelope) => boolean; resolve: (m: Envelope) => void }[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  const emit = async (event: string, data: unknown) => {
    await page.evaluate((m) => (window as unknown as { __fromHost(m: unknown): void }).__fromHost(m), encode({ rpc: 'evt', event, data }));
  };
  const reply = async (id: number, result: unknown) => {
    await page.evaluate((m) => (window as unknown as { __fromHost(m: unknown): void }).__fromHost(m), encode({ rpc: 'res', id, ok: true, result }));
  };
  // The stand-in host answers in the background; a test may close the page before an answer
  // lands. That is not an error; anything else is kept with the console errors.
  const background = (p: Promise<void>) =>
    void p.catch((e: unknown) => {
      if (!/has been closed/.test(String(e))) consoleErrors.push(`stand-in host: ${String(e)}`);
    });
  const fx = opts.fixture;
  await page.exposeFunction('__toHost', (raw: unknown) => {
    const m = decode<Envelope>(raw);
    posted.push(m);
    for (const w of [...waiters]) if (w.pred(m)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(m));
    if (!fx) return;
    if (m.rpc === 'evt' && m.event === 'ready' && opts.sendStateOnReady !== false) background(emit('state', fx.state));
    if (m.rpc === 'req') {
      const p = m.params as Record<string, unknown>;
      if (m.method === 'samples') {
        const s = fx.samples;
        const start = Math.min(Number(p.start), s.count);
        const count = Math.min(Number(p.count), s.count - start);
        const px = s.width * s.height * (s.channels ?? 1);
        const per = s.sampleShape ? s.sampleShape.reduce((a, d) => a * d, 1) : 0;
        background(reply(m.id, {
          ...s,
          start,
          count,
          images: s.images.slice(start * px, (start + count) * px),
          ...(s.values ? { values: s.values.slice(start * per, (start + count) * per) } : {}),
          labels: s.labels.slice(start, start + count),
          ...(s.probs ? { probs: s.probs.slice(start * s.numClasses, (start + count) * s.numClasses) } : {}),
        }));
      } else if (m.method === 'activations') background(reply(m.id, fx.activations));
      else if (m.method === 'predictPixels') background(reply(m.id, fx.drawPrediction));
      else if (m.method === 'exportFile') background(reply(m.id, { saved: true, path: `/tmp/${String(p.suggestedName)}` }));
    }
  });
  const cfg = { vars: theme.vars, bodyClass: theme.bodyClass, savedState: opts.savedState };
  await page.addInitScript(STANDIN_SCRIPT.replace('__CFG__', JSON.stringify(cfg)));
  await page.goto(`${origin}/`);
  return {
    page,
    posted,
    consoleErrors,
    emit,
    reply,
    waitForPost: (pred, timeoutMs = 10000) => {
      const found = posted.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) (waiters.splice(i, 1), reject(new Error('timed out waiting for a posted message')));
        }, timeoutMs);
      });
    },
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    requests: (method) => posted.filter((m): m is Extract<Envelope, { rpc: 'req' }> => m.rpc === 'req' && m.method === method),
  };
}

export function loadFixture(name = 'panel-session.json'): PanelFixture {
  return decode<PanelFixture>(JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')));
}

/**
 * Where the README's pictures go: media/screenshots when MODEL_LENS_UPDATE_SCREENSHOTS=1 (then
 * commit them, so the README never shows a stale panel), else test-output/screenshots/readme.
 */
export function readmeShotPath(name: string): string {
  const dir = process.env.MODEL_LENS_UPDATE_SCREENSHOTS === '1' ? path.join(root, 'media/screenshots') : path.join(root, 'test-output/screenshots/readme');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

export function screenshotPath(name: string): string {
  const dir = path.join(root, 'test-output/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
