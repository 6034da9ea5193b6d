import type { OutboundPolicy } from './address-policy';
import { PLAIN_HEADERS } from './carried';
import { OutboundBlockedError, OutboundRequestError, OutboundTimeoutError } from './errors';
import { safeFetch, type SafeFetchInput, type SafeFetchResponse } from './safe-fetch';
import { shownUrl } from './shown-url';

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
 * Authorization so; a custom header may be a credential just as well. A hop that would carry
 * the body to another origin (307/308, or 301/302 for a PUT, PATCH or DELETE) is not followed at
 * all: the step fails (bodyCarriedAway). The same host moving to https is not another origin
 * here (sameSite). The budget (`timeoutMs`) covers every hop. A 3xx past
 * the last hop comes back as it is.
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
    const next = nextRequest(request, response.status, target, remaining);
    // Another scheme than http(s) has no origin to compare: safeFetch refuses it below.
    const web = target.protocol === 'http:' || target.protocol === 'https:';
    if (next.body && web && !sameSite(new URL(request.url), target)) throw bodyCarriedAway(request, response.status, target);
    request = next;
    hops.push({ status: response.status, method: request.method, url: request.url });
  }
}

/**
 * The origin the request named, or that origin moved to TLS: `http://host[:port]` sending on to
 * `https://host[:port]` (the same host and port as written, default ports left out, so
 * http://shop.example → https://shop.example). A site that upgrades every request to https is
 * the same site, and gets its headers and 307/308 body: n8n's HTTP Request node (axios through
 * follow-redirects) keeps them on such a hop (follow-redirects index.js: credentials removed
 * only when the protocol changes to other than https or the host changes), as Python requests
 * does (sessions.py should_strip_auth: "allow http -> https redirect when using the standard
 * ports"). RFC 9110 15.4.8/15.4.9 have a 307/308 repeat the request as it was; nothing more
 * leaves than went in plain text already. Not the other way (https → http would send it in the
 * clear), and not another port (another service).
 */
function sameSite(from: URL, to: URL): boolean {
  return from.origin === to.origin || (from.protocol === 'http:' && to.protocol === 'https:' && from.host === to.host);
}

function nextRequest(from: SafeFetchInput, status: number, target: URL, timeoutMs: number): SafeFetchInput {
  const method = from.method.toUpperCase();
  const toGet = (status === 303 && method !== 'GET' && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
  const source = new URL(from.url);
  const crossOrigin = !sameSite(source, target);
  const url = new URL(target.href);
  // The URL's own user and password stay with the request on its site: an absolute Location
  // (nginx's `return 301 https://$host$request_uri`) names none, and the hop was refused with 401.
  // follow-redirects sends them on the same way (an Authorization header it keeps there).
  if (!crossOrigin && !url.username && !url.password && (source.username || source.password)) {
    url.username = source.username;
    url.password = source.password;
  }
  const headers = Object.fromEntries(Object.entries(from.headers ?? {}).filter(([name]) => {
    const n = name.toLowerCase();
    if (toGet && BODY_HEADERS.has(n)) return false;
    return !crossOrigin || PLAIN_HEADERS.has(n);
  }));
  const next: SafeFetchInput = { ...from, method: toGet ? 'GET' : method, url: url.href, headers, timeoutMs };
  if (toGet) delete next.body;
  return next;
}

/**
 * Fetch, curl and got re-send the body wherever a 307/308 points, stripping only credential
 * headers (github.com/sindresorhus/got/pull/2460, github.com/benoitc/hackney/pull/923). The body
 * may hold a `client_secret`, an API key or a customer's data meant for the host the admin typed;
 * the other host was never named. Sending the request on without its body would be a different
 * request (got's empty POST), so the hop is refused and the admin decides. The Location is
 * quoted as the URL is shown (shown-url.ts); callAndMap masks what the request carried.
 */
function bodyCarriedAway(from: SafeFetchInput, status: number, target: URL): OutboundBlockedError {
  const origin = new URL(from.url).origin;
  return new OutboundBlockedError(
    `answered HTTP ${status} to another site (Location: ${shownUrl(target.href)}); not followed: the ${from.method.toUpperCase()}'s body `
    + `goes only to ${origin}, not on to ${target.origin}, which the request did not name. If ${target.origin} is meant to get it, put its URL in the request itself.`,
  );
}
