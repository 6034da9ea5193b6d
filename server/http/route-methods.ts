/**
 * Which methods each registered URL answers, so a request with another method gets a 405 with an
 * `Allow` header instead of the 404 "No route" Fastify gives it (its router matches method and
 * path together). Filled from the `onRoute` hook as routes are registered; read only when a
 * request matched no route (the not-found handler), so no request that found its route pays for it.
 *
 * Paths use Fastify's (find-my-way's) syntax: `:param`, `:param(regex)`, `*`. CORS's `OPTIONS *`
 * preflight route (and OPTIONS in general) is left out: it would make every URL "allow" OPTIONS.
 */
export class RouteMethods {
  private readonly byPath = new Map<string, { pattern: RegExp; methods: Set<string> }>();

  add(url: string, method: string | string[]): void {
    const methods = (Array.isArray(method) ? method : [method]).map((m) => m.toUpperCase()).filter((m) => m !== 'OPTIONS');
    if (methods.length === 0) return;
    let entry = this.byPath.get(url);
    if (!entry) {
      entry = { pattern: patternOf(url), methods: new Set() };
      this.byPath.set(url, entry);
    }
    for (const m of methods) entry.methods.add(m);
  }

  /** The methods some route answers at this path (no query), in a stable order; [] when none does. */
  allowed(path: string): string[] {
    const found = new Set<string>();
    for (const { pattern, methods } of this.byPath.values()) {
      if (pattern.test(path)) for (const m of methods) found.add(m);
    }
    return ORDER.filter((m) => found.has(m)).concat([...found].filter((m) => !ORDER.includes(m)).sort());
  }
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A find-my-way path as an anchored RegExp over a request's path. */
export function patternOf(url: string): RegExp {
  let out = '';
  let i = 0;
  while (i < url.length) {
    const c = url[i]!;
    if (c === '*') { out += '.*'; i++; continue; }
    // `::` is a literal colon in find-my-way.
    if (c === ':' && url[i + 1] === ':') { out += ':'; i += 2; continue; }
    if (c === ':') {
      let j = i + 1;
      while (j < url.length && /[\w$]/.test(url[j]!)) j++;
      if (url[j] === '(') {
        // `:id(^\\d+)`: the parameter's own regex, up to its balanced closing parenthesis.
        let depth = 0;
        let k = j;
        for (; k < url.length; k++) {
          if (url[k] === '\\') { k++; continue; }
          if (url[k] === '(') depth++;
          else if (url[k] === ')' && --depth === 0) break;
        }
        out += `(?:${url.slice(j + 1, k).replace(/^\^/, '').replace(/\$$/, '')})`;
        i = k + 1;
      } else {
        out += '[^/]+';
        i = j;
      }
      continue;
    }
    out += escape(c);
    i++;
  }
  return new RegExp(`^${out}$`);
}
