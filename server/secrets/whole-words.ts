// A workspace secret a word could be (a short PIN, an app key that is "support" or "welcome"): in a
// stored text it is masked only where it stands as a word of its own, so "demonstration", "12345"
// or "supports" stay readable when the secret is "demo", "1234" or "support" (masked inside them,
// they read "[redacted]nstration": nothing kept secret, the text garbled). Long secrets of mixed
// characters (tokens, signing keys) stay masked wherever they are, glued to other characters too,
// and so do secrets with other characters than letters and digits, however escaped (mask.ts): no
// word of a text is made of them. Letters and digits no encoder escapes: the secret as it is is all
// there is to find.

const REDACTED = '[redacted]';
/** Shorter secrets, or ones of letters only, may be words or numbers of an ordinary text. */
const WORDLIKE_UNDER = 12;

export const isWordLike = (secret: string) => /^[A-Za-z0-9]+$/.test(secret) && (secret.length < WORDLIKE_UNDER || /^[A-Za-z]+$/.test(secret));

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** An escape just before `at` (`%3D`, `\n`, `\u0026`) ends the word before it: the secret starts a word there. */
const ESCAPE_BEFORE = /(?:%[0-9A-Fa-f]{2}|\\[bfnrt]|\\u[0-9A-Fa-f]{4})$/;

function standsAlone(text: string, at: number, end: number): boolean {
  const gluedBefore = isAlnum(text.charCodeAt(at - 1)) && !ESCAPE_BEFORE.test(text.slice(Math.max(0, at - 6), at));
  // After: an escape starts with `%` or `\`, neither a letter nor a digit.
  return !gluedBefore && !isAlnum(text.charCodeAt(end));
}

/** `text` with each of `words` masked where it stands as a word of its own. */
export function wholeWordsMasked(text: string, words: readonly string[]): string {
  const spans: [number, number][] = [];
  for (const word of words) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      if (standsAlone(text, at, at + word.length)) spans.push([at, at + word.length]);
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    if (end <= from) continue;
    out += start > from ? text.slice(from, start) + REDACTED : (out.endsWith(REDACTED) ? '' : REDACTED);
    from = end;
  }
  return out + text.slice(from);
}
