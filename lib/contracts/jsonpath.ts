import { jsonpath, JSONPathError, type JSONPathQuery } from 'json-p3';

// JSONPath per RFC 9535, compiled by json-p3 (a maintained implementation that passes the JSONPath
// working group's compliance test suite; no eval). A path that does not compile is refused when
// the workflow is saved, with the position of the problem, never stored to match nothing later.

export type CompiledPath = { query: JSONPathQuery } | { error: string; position: number };

const MAX_CACHED = 1_000;
const compiled = new Map<string, CompiledPath>();

/** The compiled query, or what is wrong and where (0-based character position). Cached per path. */
export function compileJsonPath(path: string): CompiledPath {
  let hit = compiled.get(path);
  if (hit === undefined) {
    try {
      hit = { query: jsonpath.compile(path) };
    } catch (err) {
      if (!(err instanceof JSONPathError)) throw err;
      const position = err.token?.index ?? 0;
      // json-p3 appends "('<path>':<index>)"; the message names the position itself.
      const reason = err.message.replace(/\s*\(.*:\d+\)\s*$/s, '');
      hit = { error: `${reason} at position ${position}`, position };
    }
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(path, hit);
  }
  return hit;
}
