// A failed call's answer, shown in run logs and error messages: short, on one line, and without
// what the request itself carried should the other side echo it back (an API that quotes the
// Authorization header it refused), however it escapes it (mask.ts). The rest is the target's
// own answer, shown as n8n shows it.

import { longestWritten, masked } from './mask';

/**
 * How much of an answer is masked: excerpts show at most a few thousand characters of it, and a
 * 1 MiB answer decoded several times over would hold the event loop for nothing.
 */
const MASKED_CHARS = 64 * 1024;

/** The companion's own keys and tokens masked (mask.ts): for texts stored before they were. */
export const withoutIssuedTokens = (text: string) => masked(text, []);

/**
 * A short, single-line piece of a body, with `hide` (e.g. carriedSecrets) masked wherever the
 * body repeats them. Masked before it is cut: a secret across the cut leaves no part of it.
 */
export function excerpt(text: string, max = 200, hide: readonly string[] = []): string {
  // A secret may straddle the cut, leaving its start unfound: what is masked reaches as far past
  // MASKED_CHARS as one can be written, and only up to MASKED_CHARS is shown (whitespace flattened
  // away can bring any of it into view). Cutting short by that much instead left nothing of a long
  // answer when the request carried a long value (a cookie, a JWT): "(empty body)" for a 404 page;
  // so did capping the reach, for a value past 10,922 characters (an Azure AD token with its
  // groups). The work stays linear: at most the answer (1 MiB) and 12 characters per one sent.
  const window = MASKED_CHARS + longestWritten(hide);
  const upTo = text.length > window ? MASKED_CHARS : undefined;
  const flat = masked(text.slice(0, window), hide, upTo).replace(/\s+/g, ' ').trim();
  if (!flat) return '(empty body)';
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
