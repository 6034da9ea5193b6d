import { OutboundError } from './errors';

/** DESIGN §7: transient failures get at most 3 attempts in total. */
export const MAX_ATTEMPTS = 3;
export const MAX_RETRY_AFTER_MS = 30_000;

export interface RetryOptions {
  /** Capped at MAX_ATTEMPTS. Default 3. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a longer one is shortened to this. Default 30 s. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** In [0, 1); drives the jitter. */
  random?: () => number;
  /** Called before each wait, e.g. to note "attempt 1: HTTP 503, retrying in 1000 ms" in a step log. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface RetryResult<R> {
  response: R;
  attempts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Runs `fn` until it gives a non-transient answer. 2xx-4xx (except 429) return at once; 429 and
 * 5xx are retried, and the last such response is returned when attempts run out. Thrown errors
 * are retried unless marked `retriable: false` (blocked address, response too large, bad
 * request); the last error is thrown with `attempts` set when it is an OutboundError.
 */
export async function withRetries<R extends { status: number; headers: Record<string, string> }>(
  fn: (attempt: number) => Promise<R>,
  options: RetryOptions = {},
): Promise<RetryResult<R>> {
  const attempts = Math.max(1, Math.min(options.attempts ?? MAX_ATTEMPTS, MAX_ATTEMPTS));
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    let outcome: { response: R } | { error: unknown };
    try {
      outcome = { response: await fn(attempt) };
    } catch (error) {
      outcome = { error };
    }
    const last = attempt >= attempts;
    if ('response' in outcome) {
      const { response } = outcome;
      if (!isTransientStatus(response.status) || last) return { response, attempts: attempt };
      const retryAfter = parseRetryAfter(response.headers['retry-after'], now());
      const delayMs = retryAfter !== undefined ? Math.min(retryAfter, options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS) : backoff(attempt, options);
      options.onRetry?.({ attempt, delayMs, reason: `HTTP ${response.status}` });
      await sleep(delayMs);
    } else {
      const { error } = outcome;
      if (last || !isRetriable(error)) {
        if (error instanceof OutboundError) error.attempts = attempt;
        throw error;
      }
      const delayMs = backoff(attempt, options);
      options.onRetry?.({ attempt, delayMs, reason: error instanceof Error ? error.message : String(error) });
      await sleep(delayMs);
    }
  }
}

function isRetriable(error: unknown): boolean {
  return !(typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === false);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so waits never collapse to 0. */
export function backoff(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // All three HTTP-date forms start with a day name; Date.parse alone would read '-5' as a year.
  const date = /^[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
