import { describe, expect, it } from 'vitest';
import { HEAD_SHARE, nextHeadShare } from './batch-round';

describe('the share of a PostgreSQL round taken in new heads', () => {
  it('halves the heads while chained runs fill the rounds, down to an eighth of the round', () => {
    const shares: number[] = [HEAD_SHARE.least];
    for (let i = 0; i < 4; i++) shares.push(nextHeadShare(shares.at(-1)!, true));
    expect(shares).toEqual([2, 4, 8, 8, 8]);
  });

  it('goes back to half the round once the chains run out before the round is full (one run per contact)', () => {
    expect(nextHeadShare(8, false)).toBe(4);
    expect(nextHeadShare(nextHeadShare(8, false), false)).toBe(2);
    expect(nextHeadShare(2, false)).toBe(2);
  });
});
