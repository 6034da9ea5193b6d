import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { normalizeHost, type OutboundPolicy } from './address-policy';
import {
  BEFORE_CONNECTION,
  OutboundBlockedError,
  OutboundError,
  OutboundNetworkError,
  OutboundRequestError,
  OutboundTimeoutError,
  ResponseTooLargeError,
} from './errors';
import { vetHost, type VettedAddress } from './resolve';
import { shownUrl } from './shown-url';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface SafeFetchInput {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Total budget: DNS, connect, request and the whole response body. */
  timeoutMs: number;
  maxResponseBytes?: number;
}

export interface SafeFetchResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyText: string;
  /** The parsed body when it is JSON (by content type or by shape); undefined otherwise. */
  json?: unknown;
}

/**
 * One outbound HTTP request that cannot be pointed at the server's own network: the host is
 * resolved once, every address is checked, and the socket connects only to a checked address
 * (a pinned `lookup`, so no second resolution can swap in 127.0.0.1; Host and SNI stay the
 * original name). Redirects are NOT followed: a 3xx comes back as it is, with its `location`
 * header, because following one would need a fresh policy check per hop and no caller needs it.
 */
export async function safeFetch(input: SafeFetchInput, policy: OutboundPolicy): Promise<SafeFetchResponse> {
  const url = parseTarget(input.url);
  if (!Number.isFinite(input.timeoutMs) || input.timeoutMs <= 0) {
    throw new OutboundRequestError(`timeoutMs must be a positive number, got ${input.timeoutMs}`);
  }
  const started = Date.now();
  const timeoutError = () => new OutboundTimeoutError(`no complete response from ${url.origin} within ${input.timeoutMs} ms`);
  const addresses = await withDeadline(vetHost(url.hostname, policy), input.timeoutMs, timeoutError);
  const remaining = input.timeoutMs - (Date.now() - started);
  if (remaining <= 0) throw timeoutError();
  return send(url, addresses, input, remaining, timeoutError);
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
): Promise<SafeFetchResponse> {
  const maxBytes = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return new Promise((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const timer = setTimeout(() => fail(timeoutError()), budgetMs);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      reject(err);
    };
    const succeed = (response: SafeFetchResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
    };

    try {
      req = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        hostname: normalizeHost(url.hostname),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: input.method.toUpperCase(),
        headers: input.headers,
        auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
        lookup: pinnedLookup(addresses),
        // A fresh agent per request: no pooled socket outlives the address check that allowed it.
        agent: false,
      });
    } catch (err) {
      fail(new OutboundRequestError(`invalid request to ${url.origin}: ${(err as Error).message}`, { cause: err }));
      return;
    }

    req.on('error', (err) => fail(toNetworkError(err, url)));
    req.on('response', (res) => {
      res.on('error', (err) => fail(toNetworkError(err, url)));
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
      res.on('end', () => succeed(toResponse(res, Buffer.concat(chunks).toString('utf8'))));
    });
    req.end(input.body);
  });
}

function toNetworkError(err: Error, url: URL): OutboundError {
  if (err instanceof OutboundError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  return new OutboundNetworkError(`request to ${url.origin} failed: ${code ?? err.message}`, { cause: err, neverSent: code !== undefined && BEFORE_CONNECTION.has(code) });
}

function toResponse(res: http.IncomingMessage, bodyText: string): SafeFetchResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: res.statusCode ?? 0, headers, bodyText, json: parseJson(headers['content-type'], bodyText) };
}

function parseJson(contentType: string | undefined, bodyText: string): unknown {
  const trimmed = bodyText.trim();
  const looksJson = /json/i.test(contentType ?? '') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!looksJson || trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
