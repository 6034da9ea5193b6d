// What a request carried, masked wherever another side's answer quotes it back. An answer rarely
// quotes a value as it was sent: a PHP API writes `sk_live_AbC/dEf` as `sk_live_AbC\/dEf`, any
// JSON encoder writes `tok"x` as `tok\"x`, Python and Go may write characters as `\u00e9` or
// `\u003c`, an error page writes the query it got percent-encoded or HTML-escaped, and a JSON
// string quoted inside another doubles every escape. So the answer is decoded (up to
// MAX_DEPTH times, each escape read back to its character) and each secret looked for in every
// decoding; where one is found, the characters of the answer it came from are masked. A secret
// is found in whichever way the answer wrote it, without listing the ways (n8n never shows a
// credential's value in execution data).

const REDACTED = '[redacted]';
/** Shorter values would mask ordinary words and numbers of an answer. */
export const MIN_MASKED = 4;
/** Escapes inside escapes: a request quoted as a JSON string inside a JSON answer, then percent-encoded. */
const MAX_DEPTH = 3;

/**
 * The companion's own API keys and user tokens (`ica_` / `ict_` and 256 random bits, auth/tokens.ts):
 * never shown from another side's answer, whoever sent them there (an app's server echoing the
 * subscribe request put a live key in the admin's error message).
 */
const ISSUED_TOKEN = /ic[ta]_[A-Za-z0-9_-]{43}/g;
const ISSUED_TOKEN_LENGTH = 47;
/**
 * The most characters an answer writes one character of a secret in, an escape quoted once more
 * included (`\u00e9` is 6, `\\u00e9` inside a JSON string 7, `&amp;#x2F;` 10, `%F0%9F%98%80` 6 per
 * UTF-16 unit). Not the product over MAX_DEPTH: a 1,000-character JWT would then leave out the
 * whole of a long answer.
 */
const WIDEST_ESCAPE = 12;

/** A text, and for each of its UTF-16 units the span [from, to) of the original answer it was read from. */
interface Reading { text: string; from: Int32Array; to: Int32Array }

const SINGLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', "'": "'", b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-z]{2,4}));/;

function original(text: string): Reading {
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) { from[i] = i; to[i] = i + 1; }
  return { text, from, to };
}

/** The percent-encoded UTF-8 character at `i` (`%C3%A9`), and how many characters of `s` it took. */
function percentAt(s: string, i: number): [string, number] | undefined {
  const byte = (at: number) => (s[at] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(at + 1, at + 3)) ? parseInt(s.slice(at + 1, at + 3), 16) : -1);
  const lead = byte(i);
  if (lead < 0) return undefined;
  const n = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  const bytes = [lead];
  for (let k = 1; k < n; k++) {
    const b = byte(i + 3 * k);
    if (b < 0x80 || b > 0xbf) return [String.fromCharCode(lead), 3];
    bytes.push(b);
  }
  return [n === 1 ? String.fromCharCode(lead) : Buffer.from(bytes).toString('utf8'), 3 * n];
}

/** The escape at `i` read back (`\/`, `\"`, `\u00e9`, `%2F`, `&quot;`, `&#x2F;`), and its length. */
function escapeAt(s: string, i: number): [string, number] | undefined {
  const c = s[i];
  if (c === '\\') {
    const next = s[i + 1] ?? '';
    if (next === 'u' && HEX4.test(s.slice(i + 2, i + 6))) return [String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16)), 6];
    return next in SINGLE ? [SINGLE[next]!, 2] : undefined;
  }
  if (c === '%') return percentAt(s, i);
  if (c === '&') {
    const m = ENTITY.exec(s.slice(i, i + 12));
    if (!m) return undefined;
    const code = m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? parseInt(m[2], 16) : undefined;
    if (code !== undefined) return code <= 0x10ffff ? [String.fromCodePoint(code), m[0].length] : undefined;
    const named = ENTITIES[m[3]!];
    return named === undefined ? undefined : [named, m[0].length];
  }
  return undefined;
}

/** `r` with each escape read back once; undefined when it has none. */
function decodedOnce(r: Reading): Reading | undefined {
  const s = r.text;
  if (!/[\\%&]/.test(s)) return undefined;
  const text: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let changed = false;
  for (let i = 0; i < s.length;) {
    const escape = escapeAt(s, i);
    const [chars, length] = escape ?? [s[i]!, 1];
    changed ||= escape !== undefined;
    for (let k = 0; k < chars.length; k++) { text.push(chars[k]!); from.push(r.from[i]!); to.push(r.to[i + length - 1]!); }
    i += length;
  }
  return changed ? { text: text.join(''), from: Int32Array.from(from), to: Int32Array.from(to) } : undefined;
}

/** Where in the original answer `r` holds a secret or an issued token. */
function spansIn(r: Reading, secrets: readonly string[]): [number, number][] {
  const spans: [number, number][] = [];
  const add = (at: number, length: number) => spans.push([r.from[at]!, r.to[at + length - 1]!]);
  for (const secret of secrets) {
    for (let at = r.text.indexOf(secret); at >= 0; at = r.text.indexOf(secret, at + 1)) add(at, secret.length);
  }
  for (const m of r.text.matchAll(ISSUED_TOKEN)) add(m.index, m[0].length);
  return spans;
}

/**
 * How many characters of an answer one of `secrets` (or an issued token) can take, however
 * escaped: a text cut closer than this to a secret may hold only its start, which no masking finds.
 */
export function longestWritten(secrets: readonly string[]): number {
  return Math.max(ISSUED_TOKEN_LENGTH, ...secrets.map((s) => s.length)) * WIDEST_ESCAPE;
}

/**
 * `text` with every one of `secrets` (at least MIN_MASKED characters) and every issued token
 * masked as `[redacted]`, however the text escapes them. Overlapping finds are masked as one,
 * so a token inside a longer value (`Bearer <token>`) leaves no part of either. `upTo`: only the
 * text before that index is shown (a find that starts before it is shown masked whole).
 */
export function masked(text: string, secrets: readonly string[], upTo = text.length): string {
  const wanted = [...new Set(secrets)].filter((s) => s.length >= MIN_MASKED);
  const spans: [number, number][] = [];
  let reading: Reading | undefined = original(text);
  for (let depth = 0; reading && depth <= MAX_DEPTH; depth++) {
    // Not spread into push: an answer repeating a value 130,000 times overflowed the call stack.
    for (const span of spansIn(reading, wanted)) spans.push(span);
    reading = decodedOnce(reading);
  }
  if (spans.length === 0) return text.slice(0, upTo);
  spans.sort((a, b) => a[0] - b[0]);
  let shown = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start >= upTo) break;
    if (end <= at) continue;
    if (start >= at) shown += text.slice(at, start) + REDACTED;
    at = end;
  }
  return shown + text.slice(at, Math.max(at, upTo));
}
