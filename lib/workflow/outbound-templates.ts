// Templates whose result leaves the product as part of a request: URLs and header values.
// Shared by the http_request step and mini-app actions, so one rule holds for every URL template.

export type UrlRendering = { url: string; refused?: string };

type Component = 'path' | 'query' | 'fragment';

const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Renders a URL template so that a value can only ever be data inside the component the admin
 * put it in: in the path it is one segment's text (a "/" inside it is %2F), in the query or
 * fragment one value (& = ? # are encoded). A value that would make a whole path segment "." or
 * ".." (which URL parsers resolve away, encoded or not) is refused. A placeholder that opens the
 * template is the base URL (`{{auth.baseUrl}}/charges`) and is taken as written.
 *
 * `pattern` must be a global RegExp; `resolve` gives a match's value as text ('' when missing).
 */
export function renderUrlTemplate(template: string, pattern: RegExp, resolve: (match: RegExpExecArray) => string): UrlRendering {
  let out = '';
  let component: Component = 'path';
  let segmentStart = 0;
  let segmentHasValue = false;
  let refused: string | undefined;

  const endSegment = () => {
    if (component === 'path' && segmentHasValue && !refused) {
      const segment = out.slice(segmentStart);
      if (DOT_SEGMENT.test(segment)) refused = `a variable made the path segment "${segment}", which would move the request to another path`;
    }
    segmentHasValue = false;
  };
  const literal = (text: string) => {
    for (const ch of text) {
      if (component === 'path' && (ch === '/' || ch === '?' || ch === '#')) {
        endSegment();
        if (ch === '?') component = 'query';
        if (ch === '#') component = 'fragment';
        out += ch;
        segmentStart = out.length;
        continue;
      }
      if (component === 'query' && ch === '#') component = 'fragment';
      out += ch;
    }
  };

  pattern.lastIndex = 0;
  let last = 0;
  for (let m = pattern.exec(template); m; m = pattern.exec(template)) {
    literal(template.slice(last, m.index));
    const value = resolve(m);
    if (m.index === 0) literal(value);
    else {
      out += encodeURIComponent(value.toWellFormed());
      if (component === 'path') segmentHasValue = true;
    }
    last = m.index + m[0].length;
    if (m[0].length === 0) pattern.lastIndex++;
  }
  literal(template.slice(last));
  endSegment();
  return refused ? { url: out, refused } : { url: out };
}

// C0 controls and DEL: CR/LF would split the header (or make fetch throw), the others are refused by HTTP.
const HEADER_CONTROL = /[\u0000-\u001f\u007f]+/g;

/** A rendered header value without control characters; `cleaned` says whether any were removed. */
export function cleanHeaderValue(value: string): { value: string; cleaned: boolean } {
  HEADER_CONTROL.lastIndex = 0;
  if (!HEADER_CONTROL.test(value)) return { value, cleaned: false };
  return { value: value.replace(HEADER_CONTROL, ' ').replace(/ {2,}/g, ' ').trim(), cleaned: true };
}
