import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter, rateLimitHeaders, tooManyRequests } from './rate-window';

describe('FixedWindowLimiter', () => {
  it('counts per key in a window that opens with the first request', () => {
    const limiter = new FixedWindowLimiter(2, 60_000);
    expect(limiter.hit('a', 0)).toEqual({ limit: 2, remaining: 1, resetSeconds: 60, exceeded: false });
    expect(limiter.hit('a', 30_500)).toEqual({ limit: 2, remaining: 0, resetSeconds: 30, exceeded: false });
    expect(limiter.hit('b', 30_500).remaining).toBe(1);
    expect(limiter.hit('a', 59_999)).toEqual({ limit: 2, remaining: 0, resetSeconds: 1, exceeded: true });
    expect(limiter.hit('a', 60_000)).toEqual({ limit: 2, remaining: 1, resetSeconds: 60, exceeded: false });
  });

  it('forgets the least recently used key when full', () => {
    const limiter = new FixedWindowLimiter(1, 60_000, 2);
    limiter.hit('a', 0);
    limiter.hit('b', 0);
    limiter.hit('a', 1);
    limiter.hit('c', 2); // b goes
    expect(limiter.hit('a', 3).exceeded).toBe(true);
    expect(limiter.hit('b', 3).exceeded).toBe(false);
  });

  it.each([[Number.NaN, 1_000], [-1, 1_000], [2.7, 2]])('reads max %s as the plugin does (%s)', (max, expected) => {
    expect(new FixedWindowLimiter(max, 1_000).max).toBe(expected);
  });

  it.each([[60, 'Rate limit exceeded, retry in 1 minute'], [37, 'Rate limit exceeded, retry in 37 seconds'], [1, 'Rate limit exceeded, retry in 1 second']])(
    'words a %s s wait as the plugin did', (resetSeconds, message) => {
      const err = tooManyRequests({ limit: 5, remaining: 0, resetSeconds, exceeded: true });
      expect([err.statusCode, err.code, err.message]).toEqual([429, 'rate_limited', message]);
      expect(err.headers).toEqual({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetSeconds), 'retry-after': String(resetSeconds) });
    });

  it('heads a counted request', () => {
    expect(rateLimitHeaders({ limit: 5, remaining: 3, resetSeconds: 42, exceeded: false }))
      .toEqual({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '42' });
  });
});
