// The credentials a request carried, for masking wherever the other side's answer repeats them
// (mask.ts) and for what a redirect to another origin may still carry (redirects.ts).

import { isCredentialName, urlSecrets } from './shown-url';

/** Shorter values found by their place (a header, a body key) would mask ordinary words of an answer; credentials are longer. */
export const MIN_CARRIED = 8;

/**
 * Headers that describe the request and carry no credential: sent on to another origin, and
 * left readable where an answer quotes them (a body quoting "application/json"). Every other
 * header is the admin's or the app's own, and may be a credential whatever its name (X-Shop-Token,
 * X-Custom).
 */
export const PLAIN_HEADERS = new Set(['content-type', 'accept', 'accept-encoding', 'accept-language', 'user-agent', 'idempotency-key']);

/**
 * The values of the headers a request sent that may be credentials, the token after a scheme
 * (`Bearer x`), and what a Basic token encodes (`user:password`, and the password), which an
 * answer may quote decoded.
 */
export function sentHeaderValues(headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([name, value]) => {
    if (PLAIN_HEADERS.has(name.toLowerCase())) return [];
    const trimmed = value.trim();
    const [, scheme, token] = /^([A-Za-z][\w-]*)\s+(\S.*)$/.exec(trimmed) ?? [];
    if (!token) return [trimmed];
    return scheme!.toLowerCase() === 'basic' ? [trimmed, token, ...basicParts(token)] : [trimmed, token];
  });
}

function basicParts(token: string): string[] {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? [] : [decoded, decoded.slice(colon + 1)];
}

/** The values under credential-named keys of a JSON body (`client_secret`, `password`, `apiKey`), at any depth. */
export function bodySecrets(body: string | undefined): string[] {
  if (body === undefined || body.trim() === '') return [];
  let json: unknown;
  try { json = JSON.parse(body); } catch { return []; }
  const found: string[] = [];
  const walk = (value: unknown, secret: boolean): void => {
    if (typeof value === 'string' || typeof value === 'number') { if (secret) found.push(String(value)); return; }
    if (Array.isArray(value)) { for (const v of value) walk(v, secret); return; }
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, secret || isCredentialName(k));
  };
  walk(json, false);
  return found;
}

/**
 * Everything a request carried that may be a credential: its headers' values (but the plain
 * ones), its URL's user, password and credential-named query values, and its JSON body's values
 * under credential-named keys; each of MIN_CARRIED characters or more.
 */
export function carriedSecrets(request: { url: string; headers?: Record<string, string>; body?: string }): string[] {
  const all = [...sentHeaderValues(request.headers ?? {}), ...urlSecrets(request.url), ...bodySecrets(request.body)];
  return [...new Set(all)].filter((s) => s.length >= MIN_CARRIED);
}
