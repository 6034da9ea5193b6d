import type { VariableMapping } from '../../lib/contracts/workflow-primitives';
import { extractMappings } from '../../lib/workflow/jsonpath-mapping';
import { OutboundError, OutboundNetworkError } from './errors';
import { parseRetryAfter, withRetries, type RetryOptions } from './retry';

const optional = (retryAfterMs: number | undefined) => (retryAfterMs === undefined ? {} : { retryAfterMs });
import { safeFetch, type SafeFetchInput } from './safe-fetch';

/** What an outbound call from a workflow came to: kept as the step's effect and output. */
export interface CallResult {
  ok: boolean;
  /** 0 when no response came back. */
  status: number;
  attempts: number;
  /** The JSON answer mapped through the step's mappings: `$step.<variable>`. */
  values: Record<string, unknown>;
  notes: string[];
  /** Why no response came back (refused, timed out, network); a non-2xx answer is not an error here. */
  error?: string;
  /**
   * The last attempt was told to come back later and did nothing: 429 or 503 (with the server's
   * Retry-After, if any), or the request never left (no address, connection refused). A workflow
   * step then tries again later (engine/executor/step-retry.ts); a 500, 502, 504 or a timeout may
   * follow work done, so the step fails as before.
   */
  later?: { retryAfterMs?: number };
  bodyText?: string;
}

/**
 * One outbound request as workflow steps make them (http_request, mini_app_action): private
 * addresses refused unless allow-listed, retried on network errors, 429 and 5xx (≤ 3 attempts,
 * Retry-After honoured), a 2xx JSON answer mapped into variables. Never throws.
 * `prepare(attempt)` may change the request per attempt (e.g. fresh signature headers).
 */
export async function callAndMap(
  request: SafeFetchInput | ((attempt: number) => SafeFetchInput | Promise<SafeFetchInput>),
  options: { allowList: string[]; mappings: readonly VariableMapping[]; notes?: string[]; retry?: Pick<RetryOptions, 'sleep' | 'baseDelayMs'> },
): Promise<CallResult> {
  const notes = options.notes ?? [];
  try {
    const { response, attempts } = await withRetries(
      async (attempt) => safeFetch(typeof request === 'function' ? await request(attempt) : request, { allowList: options.allowList }),
      { ...options.retry, onRetry: (r) => notes.push(`attempt ${r.attempt}: ${r.reason}, retrying in ${r.delayMs} ms`) },
    );
    const ok = response.status >= 200 && response.status < 300;
    let values: Record<string, unknown> = {};
    if (ok && options.mappings.length > 0) {
      if (response.json === undefined) notes.push('The response is not JSON; no variable was mapped');
      else {
        const mapped = extractMappings(response.json, options.mappings);
        values = mapped.values;
        for (const e of mapped.errors) notes.push(`$step.${e.variable}: ${e.message}`);
      }
    }
    const later = response.status === 429 || response.status === 503
      ? { later: { ...optional(parseRetryAfter(response.headers['retry-after'], Date.now())) } } : {};
    return { ok, status: response.status, attempts, values, notes, bodyText: response.bodyText, ...later };
  } catch (err) {
    // Refused or failed for good: the caller remembers this too, so a resumed run does not knock again.
    const attempts = err instanceof OutboundError ? err.attempts ?? 1 : 1;
    const later = err instanceof OutboundNetworkError && err.neverSent ? { later: {} } : {};
    return { ok: false, status: 0, attempts, values: {}, notes, error: err instanceof Error ? err.message : String(err), ...later };
  }
}
