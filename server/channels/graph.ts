// One path for every call to Meta's Graph API (channels, ads sync): base URL from META_GRAPH_URL,
// bearer token, Meta's error object turned into words, throttling and 5xx retried with backoff.
// Error shape: https://developers.facebook.com/docs/graph-api/guides/error-handling
// WhatsApp codes (130429 throughput, 131056 pair rate, 80007 WABA rate limit):
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
import { replaceNulDeep } from '../../lib/workflow/nul-text';
import type { Cancellation } from '../outbound/call';
import { describeFetchFailure } from './graph-network';
import { carriedSecrets, maskedErrorBody } from './graph-secrets';

export interface GraphErrorBody {
  message?: string; type?: string; code?: number; error_subcode?: number; fbtrace_id?: string;
  error_user_title?: string; error_user_msg?: string; error_data?: { details?: string };
}

export class GraphError extends Error {
  override name = 'GraphError';
  constructor(
    readonly status: number,
    readonly graph: GraphErrorBody,
    readonly retriable: boolean,
    /** Milliseconds Meta asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs: number | null,
  ) {
    super(describeGraphError(status, graph));
  }
  get code() { return this.graph.code ?? null; }
}

/**
 * The caller's run was cancelled. `sent`: the request had left (Meta may have taken it, so a send
 * is `unknown`); otherwise nothing reached Meta.
 */
export class GraphCancelledError extends GraphError {
  override name = 'GraphCancelledError';
  constructor(readonly sent: boolean, during: string) {
    super(0, { message: `Cancelled (the run was cancelled) ${during}` }, false, null);
  }
}

/**
 * No answer from Meta. `sent: false`: the request provably never left (refused, DNS, TLS
 * handshake; graph-network.ts), so sending it again cannot repeat it; otherwise Meta may have it.
 */
export class GraphUnreachableError extends GraphError {
  override name = 'GraphUnreachableError';
  constructor(message: string, readonly sent: boolean) {
    super(0, { message }, true, null);
  }
}

/** "Meta error 190 (OAuthException): Invalid OAuth access token" plus details Meta adds. */
export function describeGraphError(status: number, e: GraphErrorBody): string {
  const parts = [e.message ?? `HTTP ${status} without an error message`];
  if (e.error_data?.details && !parts[0]!.includes(e.error_data.details)) parts.push(e.error_data.details);
  if (e.error_user_msg) parts.push(e.error_user_msg);
  const code = e.code !== undefined ? ` ${e.code}${e.error_subcode ? `/${e.error_subcode}` : ''}` : '';
  return `Meta error${code}${e.type ? ` (${e.type})` : ''}: ${parts.join(' — ')}`;
}

/** Codes the error-handling guide says to wait and retry: unknown/service (1, 2), throttling (4, 17, 32, 341, 613) and WhatsApp rate limits. */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131056, 133016]);

export interface GraphRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the versioned base, e.g. `/123456/messages`. */
  path: string;
  token: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface GraphOptions {
  baseUrl: string;
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry, for the run log. */
  onRetry?: (error: GraphError | Error, attempt: number, waitMs: number) => void;
  /** A workflow step's run cancel (run-aborts.ts): the request in flight is dropped, no further attempt starts. */
  cancellation?: Cancellation;
}

/** Test hook: how graph retries wait (real timers in production). */
export const graphTiming = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), baseDelayMs: 500 };

/**
 * The longest wait between quick attempts. A longer Retry-After ends them: the caller is told at
 * once (a workflow step then waits its turn to try again later, step-retry.ts, instead of holding
 * a run round, or an agent's request, for minutes).
 */
export const QUICK_RETRY_MAX_MS = 2_000;

/** Retry-After in ms, as Meta said it (seconds or an HTTP date); callers cap it (step-retry.ts MAX_RETRY_AFTER_MS). */
function retryAfter(res: Response): number | null {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  const seconds = Number(h);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

async function once<T>(req: GraphRequest, opts: GraphOptions, attempt: number): Promise<T> {
  const url = new URL(opts.baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const cancel = opts.cancellation?.signal;
  if (cancel?.aborted) throw new GraphCancelledError(false, `before attempt ${attempt}: nothing was sent`);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  // Once fetch has the request, it may be on its way: from then on a cancel cannot say it was not sent.
  const afterSent = () => new GraphCancelledError(true, `during attempt ${attempt}: the request had been sent, so Meta may have it; the answer was not awaited`);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: req.method,
      headers: { authorization: `Bearer ${req.token}`, accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      signal: cancel ? AbortSignal.any([timeout, cancel]) : timeout,
      redirect: 'error',
    });
    text = await res.text();
  } catch (err) {
    const failure = describeFetchFailure(err, timeoutMs);
    // Cancelled before the connection was up: nothing left, as before the attempt.
    if (cancel?.aborted) throw failure.neverSent ? new GraphCancelledError(false, `during attempt ${attempt}, before the connection was up: nothing was sent`) : afterSent();
    throw new GraphUnreachableError(failure.message, !failure.neverSent);
  }
  let json: unknown;
  try { json = text ? JSON.parse(text) : {}; } catch { json = undefined; }
  // Names and texts Meta hands over (a Messenger sender's profile) are the outside world's: NUL
  // becomes U+FFFD, as in webhook deliveries (lib/workflow/nul-text.ts).
  if (res.ok && json !== undefined) return (text.includes('\\u0000') ? replaceNulDeep(json) : json) as T;
  // Masked here, before any of it is kept, shown or logged (graph-secrets.ts).
  const graph = maskedErrorBody(res.status, json, text, carriedSecrets(req.token, req.query));
  const retriable = res.status === 429 || res.status >= 500 || (graph.code !== undefined && TRANSIENT_CODES.has(graph.code));
  throw new GraphError(res.status, graph, retriable, retryAfter(res));
}

/**
 * Calls the Graph API. Throttling (429, codes 4/17/32/613/80007/130429/131056), 5xx and a request
 * that never left are retried with exponential backoff, honouring a Retry-After up to
 * QUICK_RETRY_MAX_MS (a longer one is thrown at once, with it); any other error is thrown at once.
 * `retryUnreachable: false` for sends: a request that may have reached Meta is not repeated.
 */
export async function graphCall<T>(req: GraphRequest, opts: GraphOptions & { retryUnreachable?: boolean }): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const sleep = opts.sleep ?? graphTiming.sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once<T>(req, opts, attempt);
    } catch (err) {
      const e = err as GraphError;
      const maybeSent = e instanceof GraphUnreachableError && e.sent;
      const waitsLong = (e.retryAfterMs ?? 0) > QUICK_RETRY_MAX_MS;
      const canRetry = e.retriable && (!maybeSent || opts.retryUnreachable !== false) && !waitsLong && attempt < attempts;
      if (!canRetry) throw e;
      const wait = e.retryAfterMs ?? graphTiming.baseDelayMs * 2 ** (attempt - 1);
      opts.onRetry?.(e, attempt, wait);
      await cancellableSleep(sleep, wait, opts.cancellation?.signal);
      // The net behind a lost cancel notice: the run's status is read before the next attempt.
      if (opts.cancellation && !opts.cancellation.signal.aborted) await opts.cancellation.recheck?.();
    }
  }
}

/** The wait before a retry, ended early by a cancel (the next attempt then refuses to start). */
function cancellableSleep(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.resolve();
  let onAbort!: () => void;
  const aborted = new Promise<void>((resolve) => { onAbort = resolve; signal.addEventListener('abort', onAbort, { once: true }); });
  return Promise.race([sleep(ms), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
