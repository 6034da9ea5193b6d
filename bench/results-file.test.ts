import { describe, expect, it } from 'vitest';
import { NOTES_MARK, withKeptNotes } from './results-file';

describe('bench/RESULTS.md after npm run bench', () => {
  it('replaces the figures and keeps the notes below the mark', () => {
    const previous = `# Benchmark results\n\nold figures\n\n${NOTES_MARK}\n\n# Notes\n\nsession one: tried X\n`;
    expect(withKeptNotes('# Benchmark results\n\nnew figures\n', previous)).toBe(`# Benchmark results\n\nnew figures\n\n${NOTES_MARK}\n\n# Notes\n\nsession one: tried X\n`);
  });

  it('a file without the mark (or none yet) is all figures: replaced whole', () => {
    expect(withKeptNotes('new\n', 'old figures only\n')).toBe('new\n');
    expect(withKeptNotes('new\n', '')).toBe('new\n');
  });
});
