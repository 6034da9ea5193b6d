// PostgreSQL cannot store U+0000 in text or in jsonb strings, and the SQLite adapter refuses it
// too so that both stores behave alike. Two answers, by where the text comes from:
// - text our users send through the API (and the extension's forms) is refused with NUL_MESSAGE
//   (a 422 saying what to fix: they can);
// - text from the outside world (Meta, Chatwoot, webhook senders) cannot be fixed by anyone who
//   sees the refusal, and a refusal loses it (Chatwoot does not retry) or fails every retry (Meta):
//   each NUL becomes U+FFFD, Unicode's replacement character for a character that cannot be
//   represented, so the rest is kept and the reader sees that something stood there.

/** What a user is told when text they sent holds a NUL character. */
export const NUL_MESSAGE = 'Text may not contain NUL (\\u0000) characters';

/** U+FFFD REPLACEMENT CHARACTER, which takes a NUL's place in text from the outside world. */
export const NUL_REPLACEMENT = '\uFFFD';

export const hasNul = (text: string): boolean => text.includes('\u0000');

export const replaceNul = (text: string): string => (hasNul(text) ? text.replaceAll('\u0000', NUL_REPLACEMENT) : text);

type Container = Record<string, unknown> | unknown[];

/**
 * A parsed JSON value with every NUL in its strings and keys replaced, changed in place where it
 * can be (objects whose keys hold one are rebuilt). Iterative: a webhook's body may nest deeper
 * than the stack (/hooks takes any depth).
 */
export function replaceNulDeep<T>(value: T): T {
  const stack: Container[] = [];
  const fix = (v: unknown): unknown => {
    if (typeof v === 'string') return replaceNul(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      stack.push(v);
      return v;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    // fromEntries defines properties: a "__proto__" key stays a key, never the prototype.
    const out = keys.some(hasNul) ? Object.fromEntries(keys.map((k) => [replaceNul(k), o[k]])) : o;
    stack.push(out);
    return out;
  };
  const top = fix(value);
  for (let c = stack.pop(); c; c = stack.pop()) {
    if (Array.isArray(c)) {
      for (let i = 0; i < c.length; i++) {
        const f = fix(c[i]);
        if (f !== c[i]) c[i] = f;
      }
    } else {
      for (const k of Object.keys(c)) {
        const f = fix(c[k]);
        if (f !== c[k]) c[k] = f;
      }
    }
  }
  return top as T;
}

/** Where a JSON value holds a NUL (in a string, or in a key), as paths; at most `limit` of them. */
export function nulPaths(value: unknown, limit = 10): (string | number)[][] {
  const found: (string | number)[][] = [];
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  for (let item = stack.pop(); item && found.length < limit; item = stack.pop()) {
    const [v, path] = item;
    if (typeof v === 'string') {
      if (hasNul(v)) found.push(path);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], [...path, i]]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        if (hasNul(k)) found.push([...path, k]);
        else stack.push([child, [...path, k]]);
      }
    }
  }
  return found.slice(0, limit);
}
