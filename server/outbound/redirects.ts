import type { OutboundPolicy } from './address-policy';
import { PLAIN_HEADERS } from './carried';
import { OutboundRequestError, OutboundTimeoutError } from './errors';
import { safeFetch, type SafeFetchInput, type SafeFetchResponse } from './safe-fetch';

/** As many hops as a workflow's request follows (n8n follows redirects too; 5 is curl's sane bound for an API). */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The headers that describe a body: dropped with it when a redirect turns the request into a GET. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']);

export interface Hop {
  status: number;
  /** The request the redirect led to (method and absolute URL, unmasked: the caller shows it). */
  method: string;
  url: string;
}

export interface FollowedResponse extends SafeFetchResponse {
  /** The URL that answered, after the redirects followed. */
  url: string;
  hops: Hop[];
}

/**
 * safeFetch, following up to MAX_REDIRECTS redirects as fetch does (WHATWG Fetch, "HTTP-redirect
 * fetch"): 303 turns any method but GET/HEAD into a bodiless GET, 301/302 turn a POST into one,
 * 307/308 keep method and body. Each hop is a safeFetch of its own, so its host is resolved and
 * checked against the private-address policy again (a redirect to 127.0.0.1 is refused as the
 * URL itself would be). A hop to another origin carries none of the headers the admin (or an
 * app's manifest) set, whatever their names (X-Custom may be a key as well as X-Api-Key): only
 * the plain ones that describe the request (carried.ts PLAIN_HEADERS). Browsers' fetch drops
 * Authorization so; a custom header may be a credential just as well. The budget
 * (`timeoutMs`) covers every hop. A 3xx past the last hop comes back as it is.
 */
export async function fetchFollowing(input: SafeFetchInput, policy: OutboundPolicy, maxRedirects = MAX_REDIRECTS): Promise<FollowedResponse> {
  const deadline = Date.now() + input.timeoutMs;
  const hops: Hop[] = [];
  let request = input;
  for (;;) {
    const response = await safeFetch(request, policy);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.status) || location === undefined || hops.length >= maxRedirects) return { ...response, url: request.url, hops };
    let target: URL;
    try {
      target = new URL(location, request.url);
    } catch {
      throw new OutboundRequestError(`answered HTTP ${response.status} with a Location that is not a URL: ${JSON.stringify(location.slice(0, 200))}`);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new OutboundTimeoutError(`no complete response within ${input.timeoutMs} ms (after ${hops.length + 1} redirect${hops.length ? 's' : ''})`);
    request = nextRequest(request, response.status, target, remaining);
    hops.push({ status: response.status, method: request.method, url: request.url });
  }
}

function nextRequest(from: SafeFetchInput, status: number, target: URL, timeoutMs: number): SafeFetchInput {
  const method = from.method.toUpperCase();
  const toGet = (status === 303 && method !== 'GET' && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
  const crossOrigin = new URL(from.url).origin !== target.origin;
  const headers = Object.fromEntries(Object.entries(from.headers ?? {}).filter(([name]) => {
    const n = name.toLowerCase();
    if (toGet && BODY_HEADERS.has(n)) return false;
    return !crossOrigin || PLAIN_HEADERS.has(n);
  }));
  const next: SafeFetchInput = { ...from, method: toGet ? 'GET' : method, url: target.href, headers, timeoutMs };
  if (toGet) delete next.body;
  return next;
}
