import { describe, expect, it } from 'vitest';
import { median, vsRatios } from './e2e-vs';

describe('PostgreSQL against SQLite, interleaved (bench/e2e-vs.ts)', () => {
  it('divides each PostgreSQL rate by the mean of the SQLite rates just before and after it', () => {
    // SQLite drifts from 3,000 to 2,000 runs/s: PostgreSQL at 1,750 between 3,000 and 2,000 is 0.70 of its neighbours.
    expect(vsRatios([3000, 2000, 2000], [1750, 1000])).toEqual([0.7, 0.5]);
  });

  it('refuses runs that do not alternate (one SQLite run more than PostgreSQL runs)', () => {
    expect(() => vsRatios([3000, 2000], [1750, 1000])).toThrow(/need 3 SQLite runs/);
  });

  it('takes the middle ratio, or the mean of the two middle ones', () => {
    expect(median([0.9, 0.6, 0.7])).toBe(0.7);
    expect(median([0.8, 0.6])).toBe(0.7);
  });
});
