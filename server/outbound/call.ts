import type { VariableMapping } from '../../lib/contracts/workflow-primitives';
import { extractMappings } from '../../lib/workflow/jsonpath-mapping';
import { OutboundCancelledError, OutboundError, OutboundNetworkError, OutboundTimeoutError } from './errors';
import { carriedSecrets } from './carried';
import { excerpt } from './excerpt';
import { masked } from './mask';
import { fetchFollowing, MAX_REDIRECTS, type FollowedResponse } from './redirects';
import { parseRetryAfter, saysComeBack, withRetries, type RetryOptions } from './retry';
import type { SafeFetchInput } from './safe-fetch';
import { shownUrl } from './shown-url';

/** How much of an answer the run log keeps when something about it needs reading (n8n shows a node's output). */
export const RESPONSE_EXCERPT_CHARS = 2048;

/** A run's cancel as an outbound call sees it. */
export interface Cancellation {
  /** Aborted when the run is cancelled: the request in flight is dropped, no further attempt starts. */
  signal: AbortSignal;
  /** Before each further attempt: looks for a cancel whose notice did not reach this process (aborts `signal`). */
  recheck?: () => Promise<void>;
}

/** What an outbound call from a workflow came to: kept as the step's effect and output. */
export interface CallResult {
  ok: boolean;
  /** 0 when no response came back. */
  status: number;
  attempts: number;
  /** The JSON answer mapped through the step's mappings: `$step.<variable>`. */
  values: Record<string, unknown>;
  notes: string[];
  /** Why no response came back (refused, timed out, network, cancelled); a non-2xx answer is not an error here. */
  error?: string;
  /**
   * The last attempt was told to come back later and did nothing: 429 or 503 (with the server's
   * Retry-After, if any), or the request never left (no address, connection refused). A workflow
   * step then tries again later (engine/executor/step-retry.ts); a 500, 502, 504 or a timeout may
   * follow work done, so the step fails as before.
   */
  later?: { retryAfterMs?: number };
  bodyText?: string;
  /**
   * The answer's first RESPONSE_EXCERPT_CHARS characters, on one line, with what the request
   * carried masked: kept when the answer failed the call or the mappings could not use it.
   */
  response?: string;
  /**
   * A non-2xx answer's first 200 characters, masked as `response` is: what an error message
   * quotes ("answered HTTP 422: …"); '(empty body)' for an empty one.
   */
  said?: string;
  /** A 3xx that was not followed (no more hops allowed): where it pointed, credentials masked. */
  location?: string;
}

export interface CallOptions {
  allowList: string[];
  mappings: readonly VariableMapping[];
  notes?: string[];
  retry?: Pick<RetryOptions, 'sleep' | 'baseDelayMs'>;
  /** Changes the request per attempt (e.g. fresh signature headers). */
  prepare?: (attempt: number, request: SafeFetchInput) => SafeFetchInput | Promise<SafeFetchInput>;
  cancellation?: Cancellation;
  /**
   * Known secrets beside what the request carries (carried.ts), masked wherever the answer
   * repeats them: an app's `secret` auth values, which may sit in its URL or body under any name.
   */
  secrets?: readonly string[];
}

/**
 * One outbound request as workflow steps make them (http_request, mini_app_action): private
 * addresses refused unless allow-listed (on every redirect hop too), at most 3 quick attempts
 * as withRetries allows them for the method, all within the request's `timeoutMs`, a 2xx JSON
 * answer mapped into variables. Never throws.
 */
export async function callAndMap(request: SafeFetchInput, options: CallOptions): Promise<CallResult> {
  const notes = options.notes ?? [];
  const deadline = Date.now() + request.timeoutMs;
  const signal = options.cancellation?.signal;
  let sent = request;
  // One rule for every quote of the other side (mask.ts): whatever the request carried is masked
  // in its answer, and in where its redirects pointed (a Location may repeat a header's value).
  const hide = () => [...carriedSecrets(sent), ...(options.secrets ?? [])];
  const attempt = async (n: number): Promise<FollowedResponse> => {
    sent = options.prepare ? await options.prepare(n, request) : request;
    const remaining = deadline - Date.now();
    try {
      if (remaining <= 0) throw new OutboundTimeoutError('out of time');
      const response = await fetchFollowing({ ...sent, timeoutMs: remaining, ...(signal ? { signal } : {}) }, { allowList: options.allowList });
      for (const hop of response.hops) note(notes, `HTTP ${hop.status}: followed to ${hop.method} ${masked(shownUrl(hop.url), hide())}`);
      if (response.decodeNote) note(notes, response.decodeNote);
      return response;
    } catch (err) {
      // The timeout is the whole call's, whichever attempt or hop ran out of it.
      if (err instanceof OutboundTimeoutError) throw new OutboundTimeoutError(`no complete response from ${new URL(request.url).origin} within ${request.timeoutMs} ms${n > 1 ? ` (the timeout covers all ${n} attempts)` : ''}`);
      throw err;
    }
  };
  try {
    const { response, attempts } = await withRetries(attempt, {
      ...options.retry, method: request.method, deadline,
      ...(signal ? { signal } : {}), ...(options.cancellation?.recheck ? { beforeRetry: options.cancellation.recheck } : {}),
      onRetry: (r) => notes.push(`attempt ${r.attempt}: ${r.reason}, retrying in ${r.delayMs} ms`),
      onStop: (r) => notes.push(`attempt ${r.attempt}: ${r.reason}; no quick retry: ${r.why}`),
    });
    const ok = response.status >= 200 && response.status < 300;
    let values: Record<string, unknown> = {};
    let unusable = false;
    if (ok && options.mappings.length > 0) {
      if (response.json === undefined) {
        notes.push('The response is not JSON; no variable was mapped');
        unusable = true;
      } else {
        const mapped = extractMappings(response.json, options.mappings);
        values = mapped.values;
        for (const e of mapped.errors) notes.push(`$step.${e.variable}: ${e.message}`);
        unusable = mapped.errors.length > 0;
      }
    }
    const secrets = hide();
    const shown = (!ok || unusable) && response.bodyText.trim() !== '' ? { response: excerpt(response.bodyText, RESPONSE_EXCERPT_CHARS, secrets) } : {};
    const said = ok ? {} : { said: excerpt(response.bodyText, undefined, secrets) };
    const location = response.status >= 300 && response.status < 400 && response.headers.location
      ? { location: masked(shownUrl(absolute(response.headers.location, response.url)), secrets) } : {};
    if (location.location && response.hops.length >= MAX_REDIRECTS) notes.push(`Redirect not followed: at most ${MAX_REDIRECTS} are followed`);
    const later = saysComeBack(response.status)
      ? { later: { ...optional(parseRetryAfter(response.headers['retry-after'], Date.now())) } } : {};
    return { ok, status: response.status, attempts, values, notes, bodyText: response.bodyText, ...shown, ...said, ...location, ...later };
  } catch (err) {
    // Refused or failed for good: the caller remembers this too, so a resumed run does not knock again.
    const attempts = err instanceof OutboundError ? err.attempts ?? 1 : 1;
    const later = err instanceof OutboundNetworkError && err.neverSent ? { later: {} } : {};
    // A redirect's unusable Location is quoted in the error: masked as the answer is.
    const error = err instanceof OutboundCancelledError ? cancelled(err, attempts) : masked(err instanceof Error ? err.message : String(err), hide());
    return { ok: false, status: 0, attempts, values: {}, notes, error, ...later };
  }
}

/** "1 attempt", "3 attempts". */
export const attemptsText = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;
const absolute = (location: string, base: string) => { try { return new URL(location, base).href; } catch { return location; } };
const optional = (retryAfterMs: number | undefined) => (retryAfterMs === undefined ? {} : { retryAfterMs });
const note = (notes: string[], text: string) => { if (!notes.includes(text)) notes.push(text); };

/** How far a cancelled call got: "sent 2 requests, cancelled during the 3rd" in the log's words. */
function cancelled(err: OutboundCancelledError, attempts: number): string {
  if (err.beforeAttempt !== undefined) return `cancelled before attempt ${err.beforeAttempt}`;
  return err.sent
    ? `cancelled during attempt ${attempts}: its request had been sent, the answer was not awaited`
    : `cancelled during attempt ${attempts}, before its request was sent`;
}
