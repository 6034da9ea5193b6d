/**
 * How deep a JSON value from outside may nest: plenty for real data (Chatwoot's and Meta's
 * payloads nest under ten levels). Deeper values overflow the stack of anything recursive that
 * reads or writes them (zod's z.json(), JSON.stringify), a 500 instead of a refusal with a reason.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests more than `limit` arrays/objects deep; counted without recursion. */
export function nestsDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const todo: [unknown, number][] = [[value, 0]];
  while (todo.length) {
    const [v, above] = todo.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (above >= limit) return true;
    for (const child of Object.values(v)) todo.push([child, above + 1]);
  }
  return false;
}
