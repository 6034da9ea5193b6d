import { compileJsonPath } from '../contracts/jsonpath';
import type { VariableMapping } from '../contracts/workflow-primitives';

// JSONPath per RFC 9535 (`$.phone`, `$.custom_fields.phone`, `$.data.contacts[1].firstName`,
// `$.items[-1].sku`, `$['first name']`), evaluated by json-p3. Filters (`[?@.x == 1]`) are the
// RFC's own expressions, never JavaScript: nothing an admin types is ever evaluated as code.

type Scalar = string | number | boolean | null;
/** One value, or a list when the path can select several (or selects one array): see extractMappings. */
export type MappedValue = Scalar | Scalar[];
export type MappingError = { variable: string; jsonKey: string; message: string };
export type MappingResult = { values: Record<string, MappedValue>; errors: MappingError[] };

export const MAX_IDENTIFIER_VALUES = 100;
/** The most values a mapping makes into a list. */
export const MAX_LIST_VALUES = 100;

type Query = { matches: unknown[] } | { error: string };

// A generic evaluation is a visible share of every webhook delivery, yet the paths admins type
// are nearly always plain `.name` / `[n]` chains, which we follow ourselves with the RFC's
// semantics (same answers as json-p3: the equivalence is a property test).
const SIMPLE_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|-?[1-9]\d{0,14})\])*$/;
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?\d+)\]/g;
const MAX_CACHED_PATHS = 1_000;
type Step = string | number;
const simplePaths = new Map<string, readonly Step[] | null>();

function simplePathSteps(path: string): readonly Step[] | null {
  let steps = simplePaths.get(path);
  if (steps === undefined) {
    steps = SIMPLE_PATH.test(path) ? [...path.matchAll(SEGMENT)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2]))) : null;
    if (simplePaths.size >= MAX_CACHED_PATHS) simplePaths.clear();
    simplePaths.set(path, steps);
  }
  return steps;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What RFC 9535 selects for a simple path, or undefined when the path is not simple. A name
 * selects a member of an object only (a string's `length`, an array's `length`, inherited
 * `constructor` select nothing); an index an element of an array only, negative from the end.
 * Exported for the equivalence test against json-p3.
 */
export function matchSimplePath(body: unknown, path: string): unknown[] | undefined {
  const steps = simplePathSteps(path);
  if (!steps) return undefined;
  let value: unknown = body;
  for (const step of steps) {
    if (typeof step === 'string') {
      if (!isObject(value) || !Object.hasOwn(value, step)) return [];
      value = value[step];
    } else {
      if (!Array.isArray(value)) return [];
      const i = step < 0 ? value.length + step : step;
      if (i < 0 || i >= value.length) return [];
      value = value[i];
    }
  }
  return [value];
}

/** The nodes a JSONPath selects in a JSON value (RFC 9535), or why the path cannot be evaluated. */
export function queryJsonPath(body: unknown, jsonKey: string): Query {
  if (body === undefined) return { matches: [] };
  const simple = matchSimplePath(body, jsonKey);
  if (simple) return { matches: simple };
  const compiled = compileJsonPath(jsonKey);
  if ('error' in compiled) return { error: `is not a valid JSONPath (${compiled.error})` };
  try {
    return { matches: compiled.query.query(body as Parameters<typeof compiled.query.query>[0]).values() };
  } catch (error) {
    return { error: `could not be evaluated (${error instanceof Error ? error.message : String(error)})` };
  }
}

export const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * Whether a path names at most one node (RFC 9535's singular query: names and indexes only), so
 * its mapping gives that value as it is; any other path (a wildcard, slice, filter, union, `..`)
 * may select several and always gives a list, whatever this body holds.
 */
export function isDefinitePath(jsonKey: string): boolean {
  if (simplePathSteps(jsonKey)) return true;
  const compiled = compileJsonPath(jsonKey);
  return !('error' in compiled) && compiled.query.singularQuery();
}

const flattened = (matches: readonly unknown[]) => matches.flatMap((m) => (Array.isArray(m) ? m : [m]));

/**
 * Reads each mapping's value from a JSON body; every failing mapping is reported, not just the
 * first. A definite path (`$.order.id`, `$.items[0].sku`) gives its value as it is (text,
 * number, true/false, null, or the list one array holds); a path that can select several values
 * (a wildcard, slice, filter, union or `..`) always gives a list, of at most MAX_LIST_VALUES
 * texts/numbers, empty when nothing matched: a body with one line item gives ["IPOD-342"], not
 * "IPOD-342", so a branch or a JSON body treats it as it treats two. Text shows a list joined
 * with ", " as it shows `{{$contact.tags}}`; a JSON body gets the array.
 */
export function extractMappings(body: unknown, mappings: readonly VariableMapping[]): MappingResult {
  const values: Record<string, MappedValue> = {};
  const errors: MappingError[] = [];
  for (const { jsonKey, variable } of mappings) {
    const found = queryJsonPath(body, jsonKey);
    const definite = isDefinitePath(jsonKey);
    const value = 'error' in found ? found
      : definite && found.matches.length === 0 ? { error: 'matched nothing in the body' }
      : mappedValue(found.matches, definite, jsonKey);
    if ('error' in value) errors.push({ variable, jsonKey, message: `${jsonKey} ${value.error}` });
    else values[variable] = value.value;
  }
  return { values, errors };
}

/**
 * A mapping's value from the nodes its path selected: a definite path's one node as it is (one
 * array of values is a list); otherwise the nodes as a list, each array among them flattened one
 * level (`$.orders[*].skus`). A definite path that selected nothing is the caller's to report.
 */
export function mappedValue(matches: readonly unknown[], definite: boolean, jsonKey: string): { value: MappedValue } | { error: string } {
  const one = definite ? matches[0] : undefined;
  if (isScalar(one)) return { value: one };
  if (one !== undefined && !Array.isArray(one)) return { error: `resolves to an object; map a value inside it${insidePath(jsonKey, [one])}` };
  const list = flattened(matches);
  // A path that selected arrays (`$.line_items`) reaches their elements with [*].
  const base = matches.some(Array.isArray) ? `${jsonKey}[*]` : jsonKey;
  if (!list.every(isScalar)) return { error: `selects objects, not values; map a value inside them${insidePath(base, list)}` };
  if (list.length > MAX_LIST_VALUES) return { error: `selects ${list.length} values; at most ${MAX_LIST_VALUES} make a list` };
  return { value: list };
}

/** ", e.g. $.line_items[*].sku": the author's own path to a value the selected objects hold; '' when none has one. */
function insidePath(base: string, selected: readonly unknown[]): string {
  for (const o of selected) {
    if (!o || typeof o !== 'object' || Array.isArray(o)) continue;
    const key = Object.keys(o).find((k) => isScalar((o as Record<string, unknown>)[k]));
    if (key !== undefined) return `, e.g. ${base}${/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
  }
  return '';
}

/**
 * The contact identifier(s) of a webhook body: a string or number, or a list of them, which a
 * path gives as one array (`$.emails`) or as several values (`$[*].email` on a batch, one run per
 * contact, at most MAX_IDENTIFIER_VALUES). Strings are trimmed; empty ones are dropped.
 */
export function extractIdentifier(body: unknown, jsonKey: string): { values: string[] } | { error: string } {
  const found = queryJsonPath(body, jsonKey);
  if ('error' in found) return { error: `${jsonKey} ${found.error}` };
  if (found.matches.length === 0) return { error: `${jsonKey} ${NOTHING_MATCHED}` };
  return identifierValues(flattened(found.matches), jsonKey);
}

const NOTHING_MATCHED = 'matched nothing in the body';
const EMPTY = 'is empty';
/** Why an identifier path found no value, as identifierAbsent knows it. */
export const nothingMatched = (jsonKey: string) => `${jsonKey} ${NOTHING_MATCHED}`;

/**
 * Whether an identifier error means "this body names nobody" (no key, null or blank: a Shopify
 * guest order has no customer) in a body of the shape the path reads (an object for `$.a`, a list
 * for `$[0]`), rather than a body that is not what the trigger reads at all (null, a number, a
 * list where an object was meant).
 */
export function identifierAbsent(body: unknown, jsonKey: string, error: string): boolean {
  if (!error.endsWith(` ${NOTHING_MATCHED}`) && !error.endsWith(` ${EMPTY}`)) return false;
  if (body === null || typeof body !== 'object') return false;
  return Array.isArray(body) ? !/^\$(\.[^.]|\[['"])/.test(jsonKey) : !/^\$\[\d/.test(jsonKey);
}

/** The identifier values among what a path selected (flattened one level), or why they cannot name contacts. */
export function identifierValues(list: unknown[], jsonKey: string): { values: string[] } | { error: string } {
  if (list.length > MAX_IDENTIFIER_VALUES) {
    return { error: `${jsonKey} holds ${list.length} values; at most ${MAX_IDENTIFIER_VALUES} contacts per request` };
  }
  // null is no value (`"phone": null`), as an empty text is.
  const given = list.filter((v) => v !== null);
  if (!given.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return { error: `${jsonKey} must be a text or a number, or a list of them` };
  }
  const values = given.map((v) => String(v).trim()).filter((v) => v !== '');
  if (values.length === 0) return { error: `${jsonKey} ${EMPTY}` };
  return { values };
}
