import { JSONPath } from 'jsonpath-plus';
import type { VariableMapping } from '../contracts/workflow-primitives';

// JSONPath as jsonpath-plus reads it (`$.phone`, `$.custom_fields.phone`,
// `$.data.contacts[1].firstName`). Script filters (`[?(…)]`) are refused (eval: false): a mapping
// names one value, and nothing an admin types is ever evaluated.

export type MappedValue = string | number | boolean | null;
export type MappingError = { variable: string; jsonKey: string; message: string };
export type MappingResult = { values: Record<string, MappedValue>; errors: MappingError[] };

export const MAX_IDENTIFIER_VALUES = 100;

type Query = { matches: unknown[] } | { error: string };

// jsonpath-plus's generic evaluation is a visible share of every webhook delivery, yet the paths
// admins type are nearly always plain `.name` / `[n]` chains, which we follow ourselves. A name `$`
// is left to it: jsonpath-plus reads it as the root (or as "stay here" when there is no own `$`).
const SIMPLE_PATH = /^\$(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[\d+\])*$/;
const MAX_CACHED_PATHS = 1_000;
const simplePaths = new Map<string, readonly string[] | null>();

function parseSimplePath(path: string): readonly string[] | null {
  if (!SIMPLE_PATH.test(path)) return null;
  // Indexes stay strings, as jsonpath-plus keeps them: `[01]` reads key "01", which no array has.
  const keys = path.slice(1).split(/[.[\]]+/).filter((key) => key !== '');
  return keys.includes('$') ? null : keys;
}

function simplePathKeys(path: string): readonly string[] | null {
  let keys = simplePaths.get(path);
  if (keys === undefined) {
    keys = parseSimplePath(path);
    if (simplePaths.size >= MAX_CACHED_PATHS) simplePaths.clear();
    simplePaths.set(path, keys);
  }
  return keys;
}

/**
 * What jsonpath-plus matches for a simple path in an object or array body, or undefined when the
 * path is not simple. Exported for the equivalence test against jsonpath-plus.
 */
export function matchSimplePath(body: object, path: string): unknown[] | undefined {
  const keys = simplePathKeys(path);
  if (!keys) return undefined;
  let value: unknown = body;
  for (const key of keys) {
    // As in jsonpath-plus: only own properties of a truthy value, so a non-empty string's `length`
    // and characters are found, an array's `length` too, but never inherited ones (`constructor`).
    if (!value || !Object.hasOwn(value, key)) return [];
    value = (value as Record<string, unknown>)[key];
  }
  return [value];
}

function query(body: unknown, jsonKey: string): Query {
  if (body === null || typeof body !== 'object') return { matches: [] };
  const simple = matchSimplePath(body, jsonKey);
  if (simple) return { matches: simple };
  try {
    const result: unknown = JSONPath({ path: jsonKey, json: body, wrap: true, eval: false });
    return { matches: Array.isArray(result) ? result : [] };
  } catch (error) {
    return { error: `is not a JSONPath we can read (${error instanceof Error ? error.message : String(error)})` };
  }
}

function containerKind(value: unknown): 'an array' | 'an object' | undefined {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return undefined;
}

function single(body: unknown, jsonKey: string): { value: unknown } | { error: string } {
  const found = query(body, jsonKey);
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
