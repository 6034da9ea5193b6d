// A failed call's answer, shown in run logs and error messages: short, on one line, and without
// what the request itself carried should the other side echo it back (an API that quotes the
// Authorization header it refused). The rest is the target's own answer, shown as n8n shows it.

const REDACTED = '[redacted]';
/** Shorter values would mask ordinary words of the answer; credentials are longer. */
const MIN_HIDDEN = 8;
/** Headers that carry no credential (a body quoting "application/json" stays readable). */
const PLAIN_HEADERS = new Set(['content-type', 'accept', 'accept-encoding', 'accept-language', 'user-agent', 'idempotency-key']);

/**
 * The companion's own API keys and user tokens (`ica_` / `ict_` and 256 random bits, auth/tokens.ts):
 * never shown from another side's answer, whoever sent them there (an app's server echoing the
 * subscribe request put a live key in the admin's error message).
 */
const ISSUED_TOKEN = /ic[ta]_[A-Za-z0-9_-]{43}/g;
export const withoutIssuedTokens = (text: string) => text.replace(ISSUED_TOKEN, REDACTED);

/** A short, single-line piece of a body; `hide` (e.g. sentHeaderValues) masked wherever the body repeats them. */
export function excerpt(text: string, max = 200, hide: readonly string[] = []): string {
  let shown = withoutIssuedTokens(text);
  // Longest first, so a token inside a longer value (`Bearer <token>`) cannot leave part of it.
  for (const secret of [...new Set(hide)].filter((s) => s.length >= MIN_HIDDEN).sort((a, b) => b.length - a.length)) {
    shown = shown.split(secret).join(REDACTED);
  }
  const flat = shown.replace(/\s+/g, ' ').trim();
  if (!flat) return '(empty body)';
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The values of the headers a request sent that may be credentials, and the token after a scheme (`Bearer x`). */
export function sentHeaderValues(headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([name, value]) => {
    if (PLAIN_HEADERS.has(name.toLowerCase())) return [];
    const trimmed = value.trim();
    const token = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(trimmed)?.[1];
    return token ? [trimmed, token] : [trimmed];
  });
}
