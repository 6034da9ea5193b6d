/**
 * A JS array as PostgreSQL's array literal text, the way pg sends it, but made by V8's native
 * JSON.stringify: inside a quoted element PostgreSQL reads `\"` and `\\` as JSON writes them. pg
 * builds the same literal element by element, two regex replaces each (pg/lib/utils.js
 * arrayString): one-contact PostgreSQL runs, whose inserts and round statements pass every column
 * as an array, spent 13 µs of the server's CPU per run there (≈ 6 %, cpuprofile).
 *
 * Only where JSON's escapes are exactly the literal's: strings, finite numbers, null and undefined
 * (both NULL, as pg has them), and no string with a control character (JSON writes `\n` where the
 * literal needs a raw newline) or a lone surrogate (JSON writes `\udXXX`). Those show in the JSON as
 * a backslash before b, f, n, r, t or u; a backslash of the text itself before such a letter looks
 * the same and only sends that array the slow way. Anything else (Dates, Buffers, objects, nested
 * arrays, booleans) is undefined: pg encodes that array itself.
 */
const ESCAPED_CONTROL = /\\[bfnrtu]/;

export function arrayLiteral(values: readonly unknown[]): string | undefined {
  for (const v of values) {
    if (v != null && typeof v !== 'string' && (typeof v !== 'number' || !Number.isFinite(v))) return undefined;
  }
  const json = JSON.stringify(values);
  return ESCAPED_CONTROL.test(json) ? undefined : `{${json.slice(1, -1)}}`;
}

/** Statement parameters with each array that arrayLiteral can write already written; others as they are. */
export function withArrayLiterals(params: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (!Array.isArray(p)) continue;
    const literal = arrayLiteral(p);
    if (literal === undefined) continue;
    out ??= params.slice();
    out[i] = literal;
  }
  return out ?? (params as unknown[]);
}
