import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { normalizeHost, type OutboundPolicy } from './address-policy';
import { answerText } from '../http/body-charset';
import {
  BEFORE_CONNECTION,
  OutboundBlockedError,
  OutboundCancelledError,
  OutboundError,
  OutboundNetworkError,
  OutboundRequestError,
  OutboundTimeoutError,
  ResponseTooLargeError,
} from './errors';
import { vetHost, type VettedAddress } from './resolve';
import { shownUrl } from './shown-url';
import { parseJsonExact } from '../../lib/workflow/exact-json';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface SafeFetchInput {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Total budget: DNS, connect, request and the whole response body. */
  timeoutMs: number;
  maxResponseBytes?: number;
  /** Aborts the request wherever it is (a cancelled run): it rejects with OutboundCancelledError. */
  signal?: AbortSignal;
}

export interface SafeFetchResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyText: string;
  /** The parsed body when it is JSON (by content type or by shape); undefined otherwise. */
  json?: unknown;
  /** Why the body's text may not be what was meant (an unknown charset, bytes not in it). */
  decodeNote?: string;
}

/**
 * One outbound HTTP request that cannot be pointed at the server's own network: the host is
 * resolved once, every address is checked, and the socket connects only to a checked address
 * (a pinned `lookup`, so no second resolution can swap in 127.0.0.1; Host and SNI stay the
 * original name). Redirects are NOT followed here: a 3xx comes back as it is, with its `location`
 * header; redirects.ts follows them for the callers that want it, each hop a safeFetch of its own
 * (so each is checked again). The body is decoded by its declared charset (body-charset.ts).
 */
export async function safeFetch(input: SafeFetchInput, policy: OutboundPolicy): Promise<SafeFetchResponse> {
  const url = parseTarget(input.url);
  if (!Number.isFinite(input.timeoutMs) || input.timeoutMs <= 0) {
    throw new OutboundRequestError(`timeoutMs must be a positive number, got ${input.timeoutMs}`);
  }
  const started = Date.now();
  const timeoutError = () => new OutboundTimeoutError(`no complete response from ${url.origin} within ${input.timeoutMs} ms`);
  const cancelled = (sent: boolean) => new OutboundCancelledError(`request to ${url.origin} cancelled ${sent ? 'after it was sent' : 'before it was sent'}`, sent);
  if (input.signal?.aborted) throw cancelled(false);
  const addresses = await withDeadline(vetHost(url.hostname, policy), input.timeoutMs, timeoutError, input.signal, () => cancelled(false));
  const remaining = input.timeoutMs - (Date.now() - started);
  if (remaining <= 0) throw timeoutError();
  return send(url, addresses, input, remaining, timeoutError, cancelled);
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRequestError(`invalid URL: ${JSON.stringify(shownUrl(raw))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundBlockedError(`only http and https URLs are allowed, got "${url.protocol}"`);
  }
  return url;
}

function pinnedLookup(addresses: VettedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

function send(
  url: URL,
  addresses: VettedAddress[],
  input: SafeFetchInput,
  budgetMs: number,
  timeoutError: () => OutboundTimeoutError,
  cancelled: (sent: boolean) => OutboundCancelledError,
): Promise<SafeFetchResponse> {
  const maxBytes = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return new Promise((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    // Node writes nothing of the request before the (TLS) connection is up: until then a failure
    // or a cancel leaves nothing behind on the other side.
    let connected = false;
    const timer = setTimeout(() => fail(timeoutError()), budgetMs);
    const onAbort = () => fail(cancelled(connected));
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
      req?.destroy();
      reject(err);
    };
    const succeed = (response: SafeFetchResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
      resolve(response);
    };
    input.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      req = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        hostname: normalizeHost(url.hostname),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: input.method.toUpperCase(),
        headers: framed(input.headers, input.body),
        auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
        lookup: pinnedLookup(addresses),
        // A fresh agent per request: no pooled socket outlives the address check that allowed it.
        agent: false,
      });
    } catch (err) {
      fail(new OutboundRequestError(`invalid request to ${url.origin}: ${(err as Error).message}`, { cause: err }));
      return;
    }

    req.on('socket', (socket) => socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => { connected = true; }));
    req.on('error', (err) => fail(toNetworkError(err, url, connected)));
    req.on('response', (res) => {
      res.on('error', (err) => fail(toNetworkError(err, url, true)));
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail(new ResponseTooLargeError(maxBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(new ResponseTooLargeError(maxBytes));
        else chunks.push(chunk);
      });
      res.on('end', () => succeed(toResponse(res, Buffer.concat(chunks))));
    });
    req.end(input.body);
  });
}

/**
 * Node frames a body on its own only for methods it expects one with (not DELETE, GET, OPTIONS):
 * a DELETE's body (an HTTP step or an app action may send one) went out with neither
 * Content-Length nor chunking, so the other side read it as the start of a second request and
 * answered 400. A Content-Length frames it for any method.
 */
function framed(headers: Record<string, string> | undefined, body: string | undefined): Record<string, string> | undefined {
  if (body === undefined || Object.keys(headers ?? {}).some((n) => ['content-length', 'transfer-encoding'].includes(n.toLowerCase()))) return headers;
  return { ...headers, 'content-length': String(Buffer.byteLength(body)) };
}

function toNetworkError(err: Error, url: URL, connected: boolean): OutboundError {
  if (err instanceof OutboundError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  // A reset or a TLS failure before the connection was up: no byte of the request had left.
  const neverSent = !connected || (code !== undefined && BEFORE_CONNECTION.has(code));
  return new OutboundNetworkError(`request to ${url.origin} failed: ${code ?? err.message}`, { cause: err, neverSent });
}

function toResponse(res: http.IncomingMessage, body: Buffer): SafeFetchResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const { text: bodyText, note } = answerText(headers['content-type'], body);
  return { status: res.statusCode ?? 0, headers, bodyText, json: parseJson(headers['content-type'], bodyText), ...(note ? { decodeNote: note } : {}) };
}

function parseJson(contentType: string | undefined, bodyText: string): unknown {
  const trimmed = bodyText.trim();
  const looksJson = /json/i.test(contentType ?? '') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!looksJson || trimmed === '') return undefined;
  try {
    // An answer's ids past 2^53 ({"id":12345678901234567890}) keep their digits, as webhook bodies do.
    return parseJsonExact(trimmed);
  } catch {
    return undefined;
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let abort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    abort = () => reject(onAbort());
    signal?.addEventListener('abort', abort, { once: true });
  });
  return Promise.race([promise, deadline]).finally(() => {
    clearTimeout(timer);
    if (abort) signal?.removeEventListener('abort', abort);
  });
}
