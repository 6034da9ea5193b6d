import { OutboundCancelledError, OutboundError, OutboundNetworkError } from './errors';

/** DESIGN §7: transient failures get at most 3 attempts in total. */
export const MAX_ATTEMPTS = 3;
export const MAX_RETRY_AFTER_MS = 30_000;
/** An attempt is not started with less time than this left before the deadline. */
const MIN_ATTEMPT_MS = 100;

/**
 * RFC 9110 §9.2.2: methods whose repeat has the effect of one request. Only these are sent
 * again after an answer or a failure that may follow work done (a 500, 502, 504, a timeout, a
 * connection dropped after the request left); POST and PATCH are not, as n8n and fetch do not
 * retry them unless asked to.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export interface RetryOptions {
  /** The request's method: decides what may be sent again (IDEMPOTENT_METHODS). */
  method: string;
  /** Capped at MAX_ATTEMPTS. Default 3. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a longer one is shortened to this. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Epoch ms: no wait reaches past it and no attempt starts after it (the caller's whole budget). */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** In [0, 1); drives the jitter. */
  random?: () => number;
  /** Called before each wait, e.g. to note "attempt 1: HTTP 503, retrying in 1000 ms" in a step log. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Called when a failure that might pass is not tried again now, with why (the method, the deadline). */
  onStop?: (info: { attempt: number; reason: string; why: string }) => void;
  /** Once aborted, no further attempt starts (OutboundCancelledError); the wait before one ends at once. */
  signal?: AbortSignal;
  /** Runs before each further attempt; may abort `signal` (a cancel made elsewhere, read from the database). */
  beforeRetry?: () => Promise<void>;
}

export interface RetryResult<R> {
  response: R;
  attempts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A wait that an abort ends early (the attempt after it is then not made). */
function abortableSleep(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.resolve();
  let onAbort!: () => void;
  const aborted = new Promise<void>((resolve) => { onAbort = resolve; signal.addEventListener('abort', onAbort, { once: true }); });
  return Promise.race([sleep(ms), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** Busy or down: the same request may pass later (Chatwoot's retry-later reads it too). */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The server said it did not do it and to come back: 429 Too Many Requests, 503 Service Unavailable (RFC 9110 §15.6.4). */
export const saysComeBack = (status: number) => status === 429 || status === 503;

/**
 * Whether this outcome may be sent again: `true`, or why not when it is worth saying (a failure
 * that might pass, on a method that is not idempotent). `false`: a final answer or error.
 */
function mayRepeat(outcome: { response: { status: number } } | { error: unknown }, idempotent: boolean): true | false | string {
  const notAgain = 'the server may have acted on it, and a request that is not idempotent is not sent again';
  if ('response' in outcome) {
    const { status } = outcome.response;
    if (saysComeBack(status)) return true;
    if (!isTransientStatus(status)) return false;
    return idempotent || notAgain;
  }
  const { error } = outcome;
  if (typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === false) return false;
  if (error instanceof OutboundNetworkError && error.neverSent) return true;
  return idempotent || notAgain;
}

/**
 * Runs `fn` until it gives an answer that is not worth repeating, at most `attempts` times. A
 * 429 or 503 (Retry-After honoured) and a request that never left (no address, connection
 * refused) are tried again whatever the method: the server did not act. A 500, 502, 504, a
 * timeout or a connection lost after the request left may follow work done, so only an
 * idempotent method is sent again after them. The last response is returned, or the last error
 * thrown with `attempts` set when it is an OutboundError. Nothing waits past `deadline`.
 */
export async function withRetries<R extends { status: number; headers: Record<string, string> }>(
  fn: (attempt: number) => Promise<R>,
  options: RetryOptions,
): Promise<RetryResult<R>> {
  const attempts = Math.max(1, Math.min(options.attempts ?? MAX_ATTEMPTS, MAX_ATTEMPTS));
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const idempotent = IDEMPOTENT_METHODS.has(options.method.toUpperCase());
  for (let attempt = 1; ; attempt++) {
    let outcome: { response: R } | { error: unknown };
    try {
      outcome = { response: await fn(attempt) };
    } catch (error) {
      outcome = { error };
    }
    const end = (): RetryResult<R> => {
      if ('response' in outcome) return { response: outcome.response, attempts: attempt };
      if (outcome.error instanceof OutboundError) outcome.error.attempts = attempt;
      throw outcome.error;
    };
    const repeat = mayRepeat(outcome, idempotent);
    const reason = 'response' in outcome ? `HTTP ${outcome.response.status}` : outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    if (repeat !== true) {
      if (typeof repeat === 'string' && attempt < attempts) options.onStop?.({ attempt, reason, why: repeat });
      return end();
    }
    if (attempt >= attempts) return end();
    const retryAfter = 'response' in outcome ? parseRetryAfter(outcome.response.headers['retry-after'], now()) : undefined;
    const delayMs = retryAfter !== undefined ? Math.min(retryAfter, options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS) : backoff(attempt, options);
    if (options.deadline !== undefined && now() + delayMs + MIN_ATTEMPT_MS > options.deadline) {
      options.onStop?.({ attempt, reason, why: `waiting ${delayMs} ms for another attempt would pass the request's timeout` });
      return end();
    }
    options.onRetry?.({ attempt, delayMs, reason });
    await abortableSleep(sleep, delayMs, options.signal);
    if (!options.signal?.aborted) await options.beforeRetry?.();
    if (options.signal?.aborted) {
      const cancelled = new OutboundCancelledError(`cancelled before attempt ${attempt + 1}`, false, attempt + 1);
      cancelled.attempts = attempt;
      throw cancelled;
    }
  }
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
