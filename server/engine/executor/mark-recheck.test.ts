import { describe, expect, it } from 'vitest';
import { MarkRecheck } from './mark-recheck';

describe('MarkRecheck', () => {
  it('hands marks back once they are old enough, each once, oldest first', () => {
    const marks = new MarkRecheck(1_000);
    marks.add(['a', 'b'], 0);
    marks.add(['b', 'c'], 600);
    expect(marks.due(999)).toEqual([]);
    expect(marks.due(1_000)).toEqual(['a', 'b']);
    expect(marks.due(1_599)).toEqual([]);
    expect(marks.due(1_600)).toEqual(['b', 'c']);
    expect(marks.due(10_000)).toEqual([]);
    expect(marks.size).toBe(0);
  });

  it('holds at most `max` ids: past it, marks are left to the full sweep instead of growing without end', () => {
    const marks = new MarkRecheck(10, 3);
    marks.add(['a', 'b'], 0);
    marks.add(['c', 'd'], 0);
    marks.add(['e'], 0);
    expect(marks.size).toBe(3);
    expect(marks.due(10)).toEqual(['a', 'b', 'e']);
  });
});
