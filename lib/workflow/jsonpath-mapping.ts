import { compileJsonPath } from '../contracts/jsonpath';
import type { VariableMapping } from '../contracts/workflow-primitives';

// JSONPath per RFC 9535 (`$.phone`, `$.custom_fields.phone`, `$.data.contacts[1].firstName`,
// `$.items[-1].sku`, `$['first name']`), evaluated by json-p3. Filters (`[?@.x == 1]`) are the
// RFC's own expressions, never JavaScript: nothing an admin types is ever evaluated as code.

export type MappedValue = string | number | boolean | null;
export type MappingError = { variable: string; jsonKey: string; message: string };
export type MappingResult = { values: Record<string, MappedValue>; errors: MappingError[] };

export const MAX_IDENTIFIER_VALUES = 100;

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

function containerKind(value: unknown): 'an array' | 'an object' | undefined {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return undefined;
}

function single(body: unknown, jsonKey: string): { value: unknown } | { error: string } {
  const found = queryJsonPath(body, jsonKey);
  if ('error' in found) return found;
  if (found.matches.length === 0) return { error: 'matched nothing in the body' };
  if (found.matches.length > 1) return { error: `matched ${found.matches.length} values; map a single value` };
  return { value: found.matches[0] };
}

/** Reads each mapping's value from a JSON body; every failing mapping is reported, not just the first. */
export function extractMappings(body: unknown, mappings: readonly VariableMapping[]): MappingResult {
  const values: Record<string, MappedValue> = {};
  const errors: MappingError[] = [];
  for (const { jsonKey, variable } of mappings) {
    const found = single(body, jsonKey);
    if ('error' in found) {
      errors.push({ variable, jsonKey, message: `${jsonKey} ${found.error}` });
      continue;
    }
    const kind = containerKind(found.value);
    if (kind) {
      errors.push({ variable, jsonKey, message: `${jsonKey} resolves to ${kind}; map a single value` });
      continue;
    }
    values[variable] = found.value as MappedValue;
  }
  return { values, errors };
}

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

/**
 * The contact identifier(s) of a webhook body: a string or number, or an array of them (one run
 * per contact, at most MAX_IDENTIFIER_VALUES). Strings are trimmed; empty ones are dropped.
 */
export function extractIdentifier(body: unknown, jsonKey: string): { values: string[] } | { error: string } {
  const found = single(body, jsonKey);
  if ('error' in found) return { error: `${jsonKey} ${found.error}` };
  const raw = found.value;
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_IDENTIFIER_VALUES) {
    return { error: `${jsonKey} holds ${list.length} values; at most ${MAX_IDENTIFIER_VALUES} contacts per request` };
  }
  if (!list.every(isScalar)) {
    return { error: `${jsonKey} must be a text or a number, or a list of them` };
  }
  const values = list.map((v) => String(v).trim()).filter((v) => v !== '');
  if (values.length === 0) return { error: `${jsonKey} is empty` };
  return { values };
}
