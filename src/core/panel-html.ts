/**
 * The one function that builds the Model Lens panel page.
 * Strict CSP: nothing loads unless it comes from the extension's own files (`cspSource`);
 * the only script is the bundled app, admitted by its nonce; no inline app code, no network.
 * The app's CSS is an external file; @vscode-elements uses constructable style sheets,
 * which `style-src` does not need to allow inline.
 */
export interface PanelHtmlOptions {
  /** `webview.cspSource` (or the origin serving the files in tests). */
  cspSource: string;
  /** A fresh random nonce per page load. */
  nonce: string;
  /** URI of dist/webview.js as the webview sees it. */
  scriptUri: string;
  /** URI of dist/webview.css, when there is one. */
  styleUri?: string;
  title: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A nonce for `panelHtml`: 32 alphanumerics from the Web Crypto random source (192 bits; Node and
 * browsers both have it). `randomBytes` is replaceable for tests only.
 */
export function makeNonce(randomBytes: (n: number) => Uint8Array = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n))): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  // 62 does not divide 256: bytes ≥ 248 are skipped so every character is equally likely.
  while (s.length < 32) {
    for (const b of randomBytes(48)) {
      if (b < 248 && s.length < 32) s += chars[b % 62];
    }
  }
  return s;
}

export function panelHtml(opts: PanelHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(opts.nonce)) throw new Error('panelHtml: the nonce must be alphanumeric (base64 allowed)');
  const src = opts.cspSource;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${opts.nonce}'`,
    `style-src ${src}`,
    `img-src ${src} data: blob:`,
    `font-src ${src}`,
  ].join('; ');
  const style = opts.styleUri ? `\n  <link rel="stylesheet" href="${escapeHtml(opts.styleUri)}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(opts.title)}</title>${style}
</head>
<body>
  <div id="app" aria-live="polite"><p class="loading">Loading Model Lens…</p></div>
  <script nonce="${opts.nonce}" src="${escapeHtml(opts.scriptUri)}"></script>
</body>
</html>
`;
}
