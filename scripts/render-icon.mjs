// Renders media/icon.svg to media/icon.png (128×128) with Debian's Chromium (playwright-core),
// and a preview of it on light and dark backgrounds at 128 and 32 px (test-output/icon-preview.png).
// Usage: node scripts/render-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(root, 'media/icon.svg'), 'utf8');
const uri = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${uri}" width="128" height="128"></body></html>`);
  await page.screenshot({ path: path.join(root, 'media/icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
  const preview = await browser.newPage({ viewport: { width: 420, height: 152 } });
  const tile = (bg) => `<div style="background:${bg};padding:12px;display:flex;gap:12px;align-items:center"><img src="${uri}" width="128" height="128"><img src="${uri}" width="32" height="32"></div>`;
  await preview.setContent(`<html><body style="margin:0;display:flex">${tile('#ffffff')}${tile('#1e1e1e')}</body></html>`);
  fs.mkdirSync(path.join(root, 'test-output'), { recursive: true });
  await preview.screenshot({ path: path.join(root, 'test-output/icon-preview.png') });
} finally {
  await browser.close();
}
console.log('media/icon.png written');
