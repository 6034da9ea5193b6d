import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';

// The icons the toolbar, the extensions page and the store show: declared in the built manifest,
// shipped from public/icon, real PNGs of the declared size, loaded by Chromium.
const OUT = path.resolve('.output/chrome-mv3');
const manifest = () => JSON.parse(readFileSync(path.join(OUT, 'manifest.json'), 'utf8')) as {
  icons?: Record<string, string>;
  action?: { default_icon?: Record<string, string> };
};

/** Width and height from a PNG's IHDR chunk; throws on anything that is not a PNG. */
function pngSize(file: string) {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(b.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

let ext: ExtensionBrowser;
beforeAll(async () => { ext = await launchWithExtension(); });
afterAll(async () => { await ext?.close(); });

describe('extension icons', () => {
  it('declares 16, 32, 48 and 128 px icons for the extension and its toolbar button', () => {
    const { icons, action } = manifest();
    expect(Object.keys(icons ?? {}).sort()).toEqual(['128', '16', '32', '48']);
    expect(action?.default_icon).toEqual(icons);
  });

  it('ships each one from public/icon as a PNG of its size; the folder holds exactly those', () => {
    const icons = manifest().icons!;
    for (const [size, file] of Object.entries(icons)) {
      expect(pngSize(path.join(OUT, file))).toEqual({ width: Number(size), height: Number(size) });
      expect(readFileSync(path.join(OUT, file))).toEqual(readFileSync(path.resolve('public', file)));
    }
    expect(readdirSync(path.resolve('public/icon')).sort()).toEqual(Object.values(icons).map((f) => path.basename(f)).sort());
  });

  it('the README map names the icon folder', () => {
    expect(readFileSync(path.resolve('README.md'), 'utf8')).toMatch(/public\/icon\/\s+.*16\/32\/48\/128/);
  });

  it('Chromium loads them from the installed extension', async () => {
    const page = await ext.browser.newPage();
    try {
      await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
      const sizes = await page.evaluate(async (files: string[]) => Promise.all(files.map((f) => new Promise<number>((resolve) => {
        const img = new Image();
        img.onload = () => resolve(img.naturalWidth);
        img.onerror = () => resolve(-1);
        img.src = `/${f}`;
      }))), Object.values(manifest().icons!));
      expect(sizes).toEqual(Object.keys(manifest().icons!).map(Number));
    } finally {
      await page.close();
    }
  });
});
