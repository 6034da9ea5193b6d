// One path for every call to Meta's Graph API (channels, ads sync): base URL from META_GRAPH_URL,
// bearer token, Meta's error object turned into words, throttling and 5xx retried with backoff.
// Error shape: https://developers.facebook.com/docs/graph-api/guides/error-handling
// WhatsApp codes (130429 throughput, 131056 pair rate, 80007 WABA rate limit):
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
import { replaceNulDeep } from '../../lib/workflow/nul-text';

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
}

/** Test hook: how graph retries wait (real timers in production). */
export const graphTiming = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), baseDelayMs: 500 };

function retryAfter(res: Response): number | null {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  const seconds = Number(h);
  if (Number.isFinite(seconds)) return Math.min(60_000, Math.max(0, seconds * 1000));
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.min(60_000, Math.max(0, at - Date.now())) : null;
}

async function once<T>(req: GraphRequest, opts: GraphOptions): Promise<T> {
  const url = new URL(opts.baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers: { authorization: `Bearer ${req.token}`, accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      redirect: 'error',
    });
  } catch (err) {
    // A connection refused / reset / timeout: Meta may or may not have the request.
    throw new GraphError(0, { message: `Graph API unreachable: ${(err as Error).message}` }, true, null);
  }
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : {}; } catch { json = undefined; }
  // Names and texts Meta hands over (a Messenger sender's profile) are the outside world's: NUL
  // becomes U+FFFD, as in webhook deliveries (lib/workflow/nul-text.ts).
  if (res.ok && json !== undefined) return (text.includes('\\u0000') ? replaceNulDeep(json) : json) as T;
  const graph = (json as { error?: GraphErrorBody } | undefined)?.error ?? { message: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  const retriable = res.status === 429 || res.status >= 500 || (graph.code !== undefined && TRANSIENT_CODES.has(graph.code));
  throw new GraphError(res.status, graph, retriable, retryAfter(res));
}

/**
 * Calls the Graph API. Throttling (429, codes 4/17/32/613/80007/130429/131056) and 5xx are
 * retried with exponential backoff, honouring Retry-After; any other error is thrown at once.
 * `retryUnreachable: false` for sends: a request that may have reached Meta is not repeated.
 */
export async function graphCall<T>(req: GraphRequest, opts: GraphOptions & { retryUnreachable?: boolean }): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const sleep = opts.sleep ?? graphTiming.sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once<T>(req, opts);
    } catch (err) {
      const e = err as GraphError;
      const unreachable = e.status === 0;
      const canRetry = e.retriable && (!unreachable || opts.retryUnreachable !== false) && attempt < attempts;
      if (!canRetry) throw e;
      const wait = e.retryAfterMs ?? graphTiming.baseDelayMs * 2 ** (attempt - 1);
      opts.onRetry?.(e, attempt, wait);
      await sleep(wait);
    }
  }
}
