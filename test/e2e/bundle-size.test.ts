import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// Runs on the output of `npm run build` (npm test builds first).
const OUT = path.resolve('.output/chrome-mv3');
const BUDGET_GZIP_BYTES = 100 * 1000;
const TEXT = /\.(js|mjs|css|html|json|svg|txt|map)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

const manifest = () => JSON.parse(readFileSync(path.join(OUT, 'manifest.json'), 'utf8')) as {
  content_scripts?: { matches: string[]; js?: string[] }[];
};

describe('built extension', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(path.join(OUT, 'manifest.json'))).toBe(true);
  });

  it(`loads at most ${BUDGET_GZIP_BYTES / 1000} KB of gzipped JS on an inbox page`, () => {
    const inbox = manifest().content_scripts?.find((c) => c.matches.some((m) => m.includes('/inbox')));
    expect(inbox?.js?.length).toBeGreaterThan(0);
    const sizes = inbox!.js!.map((file) => {
      const body = readFileSync(path.join(OUT, file));
      return { file, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
    });
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.info(`inbox content script: ${sizes.map((s) => `${s.file} ${(s.raw / 1000).toFixed(1)} KB raw, ${(s.gzip / 1000).toFixed(1)} KB gzip`).join('; ')}`);
    expect(total).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('keeps the form renderer out of the initial content script', () => {
    const inbox = manifest().content_scripts!.find((c) => c.matches.some((m) => m.includes('/inbox')))!;
    const initial = inbox.js!.map((f) => readFileSync(path.join(OUT, f), 'utf8')).join('\n');
    expect(initial).not.toMatch(/ZodError|zodResolver/);
    expect(existsSync(path.join(OUT, 'inbox-forms.js'))).toBe(true);
  });

  it('has only pure-ASCII text files (Chrome refuses scripts it does not take for UTF-8)', () => {
    const offending = files(OUT)
      .filter((f) => TEXT.test(f))
      .filter((f) => readFileSync(f).some((byte) => byte > 0x7f))
      .map((f) => path.relative(OUT, f));
    expect(offending).toEqual([]);
  });
});
