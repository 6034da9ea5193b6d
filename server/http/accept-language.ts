/**
 * The languages a request's Accept-Language asks for, most wanted first (RFC 9110 §12.5.4): the
 * order names are listed in (lib/workflow/name-order.ts). A browser sends its languages, as
 * `navigator.languages` gives them to the page; q=0 is "not this one"; at most 10 are read.
 */
export function requestLocales(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  return text.split(',').slice(0, 10)
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';').map((s) => s.trim());
      const q = params.find((p) => /^q=/i.test(p));
      return { tag, q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((l) => l.tag && l.tag !== '*' && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((l) => l.tag);
}
