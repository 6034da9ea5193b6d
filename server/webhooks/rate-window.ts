import { HttpError } from '../http-error';

/** One request's place in its window: what the x-ratelimit-* headers say, and whether it is over. */
export interface WindowHit { limit: number; remaining: number; resetSeconds: number; exceeded: boolean }

/**
 * Requests per key in fixed windows, counted as @fastify/rate-limit's local store counts them
 * (a key's window opens with its first request; at most `maxKeys` keys are remembered, the least
 * recently used forgotten first). Synchronous: the plugin's four promises per request were a
 * visible share of a webhook's CPU.
 */
export class FixedWindowLimiter {
  private windows = new Map<string, { count: number; start: number }>();
  private newest: string | undefined;
  readonly max: number;

  constructor(max: number, readonly windowMs: number, private maxKeys = 5_000) {
    // As the plugin reads its `max`: a bad number falls back to its default.
    this.max = Number.isFinite(max) && max >= 0 ? Math.trunc(max) : 1_000;
  }

  /** Whether `key` is already over the limit in its current window (counts nothing). */
  peek(key: string, now = Date.now()): boolean {
    const window = this.windows.get(key);
    return window !== undefined && window.start + this.windowMs > now && window.count >= this.max;
  }

  hit(key: string, now = Date.now()): WindowHit {
    let window = this.windows.get(key);
    if (!window) {
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      window = { count: 0, start: now };
      this.windows.set(key, window);
    } else if (key !== this.newest) {
      // Set again at the end: a Map iterates in insertion order, so its first key is the least recently used.
      this.windows.delete(key);
      this.windows.set(key, window);
    }
    this.newest = key;
    if (window.start + this.windowMs <= now) { window.count = 0; window.start = now; }
    window.count++;
    const ttl = this.windowMs - (now - window.start);
    return { limit: this.max, remaining: Math.max(0, this.max - window.count), resetSeconds: Math.ceil(ttl / 1000), exceeded: window.count > this.max };
  }
}

/** The headers a counted request gets (the plugin's names and values). */
export function rateLimitHeaders(hit: WindowHit): Record<string, string> {
  return { 'x-ratelimit-limit': String(hit.limit), 'x-ratelimit-remaining': String(hit.remaining), 'x-ratelimit-reset': String(hit.resetSeconds) };
}

/** The 429 of a request over the limit, worded and headed as the plugin's. */
export function tooManyRequests(hit: WindowHit): HttpError {
  return new HttpError(429, 'rate_limited', `Rate limit exceeded, retry in ${inWords(hit.resetSeconds * 1000)}`, undefined, {
    ...rateLimitHeaders(hit), 'x-ratelimit-remaining': '0', 'retry-after': String(hit.resetSeconds),
  });
}

// @lukeed/ms's long format, which the plugin's message uses ("1 minute", "37 seconds").
function inWords(ms: number): string {
  const units: [number, string][] = [[365.25 * 86_400_000, 'year'], [86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1_000, 'second']];
  if (ms < 1_000) return `${ms} ms`;
  const [size, unit] = units.find(([u], i) => ms >= u || i === units.length - 1)!;
  const n = Math.round(ms / size);
  return `${n} ${unit}${n !== 1 ? 's' : ''}`;
}
