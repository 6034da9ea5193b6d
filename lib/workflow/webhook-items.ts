import { jsonpath, type JSONPathNode } from 'json-p3';
import { compileJsonPath } from '../contracts/jsonpath';
import type { VariableMapping } from '../contracts/workflow-primitives';
import { extractMappings, identifierValues, mappedValue, nothingMatched, type MappedValue, type MappingError, type MappingResult } from './jsonpath-mapping';

// n8n's items (Zapier's line items) for webhook batches. When the identifier path selects its
// values by iterating (`$[*].email`, `$.orders[*].customer.email`, `$.data[?@.type=="lead"].email`),
// each element of the first iterated array is an item, and a mapping through the same array
// (`$[*].name`, `$.orders[*].total`) is read from the contact's own item: Ana's run gets "Ana",
// not "Ana, Bob". Every other mapping is read from the whole body, as without items. What is
// left of a mapping's path below the item decides its value's shape, as a whole-body path does:
// `.total` one value, `.lines[*].sku` always a list (jsonpath-mapping.ts).

/** How a trigger's identifier splits a delivery into items, decided once per workflow version. */
export interface ItemPlan {
  /** Position of the iterating segment: an item is the node at `location[0..at]`. */
  at: number;
  /** Mappings read per item (their path goes through the same array), and whether the rest of the path names one value. */
  perItem: (VariableMapping & { definite: boolean })[];
  /** Mappings read from the whole body. */
  shared: VariableMapping[];
}

/** One item of a delivery: its identifier values and the variables read from it. */
export interface DeliveryItem {
  /** The item's normalized path (`$.orders[1]`), for messages and the tester. */
  path: string;
  values: string[];
  variables: Record<string, MappedValue>;
  errors: MappingError[];
}

export type ItemsExtraction = { values: string[]; items: DeliveryItem[]; shared: MappingResult } | { error: string; shared: MappingResult };

const { WildcardSelector, SliceSelector, FilterSelector, NameSelector, IndexSelector } = jsonpath.selectors;

/**
 * The identifier's item prefix: its first segment that iterates (one wildcard, slice or filter
 * selector), reached through single names and indexes only. A `..` or a union (`[0,1]`) before it
 * makes no items (every mapping reads the whole body): where an item begins would be ambiguous.
 * The prefix (through the iterating segment) and the array's path (before it) are in json-p3's
 * canonical form, so quoting and spacing do not matter.
 */
function iteratorPrefix(jsonKey: string): { at: number; prefix: string; array: string } | null {
  const compiled = compileJsonPath(jsonKey);
  if ('error' in compiled) return null;
  const segments = compiled.query.segments;
  let prefix = '$';
  for (let at = 0; at < segments.length; at++) {
    const segment = segments[at]!;
    const text = segment.toString();
    if (text.startsWith('..') || segment.selectors.length !== 1) return null;
    const selector = segment.selectors[0];
    const array = prefix;
    prefix += text;
    if (selector instanceof WildcardSelector || selector instanceof SliceSelector || selector instanceof FilterSelector) return { at, prefix, array };
    if (!(selector instanceof NameSelector || selector instanceof IndexSelector)) return null;
  }
  return null;
}

/** The canonical text of a path's first `count` segments, or null when it has fewer or does not compile. */
function canonicalPrefix(jsonKey: string, count: number): string | null {
  const compiled = compileJsonPath(jsonKey);
  if ('error' in compiled || compiled.query.segments.length < count) return null;
  return `$${compiled.query.segments.slice(0, count).map(String).join('')}`;
}

/**
 * Whether a mapping reads the item: its path iterates the identifier's array either as the
 * identifier does (the same filter or slice, written any way) or with a wildcard: a filter
 * identifier's items are some of the array's elements, and `$.data[*].name` beside
 * `$.data[?@.type=="lead"].email` means each lead's own name. Another filter or slice on that
 * array is read from the whole body: it says which elements, not "this item's".
 */
function readsItem(jsonKey: string, found: { at: number; prefix: string; array: string }): boolean {
  if (canonicalPrefix(jsonKey, found.at + 1) === found.prefix) return true;
  const compiled = compileJsonPath(jsonKey);
  if ('error' in compiled || canonicalPrefix(jsonKey, found.at) !== found.array) return false;
  const segment = compiled.query.segments[found.at];
  return segment !== undefined && !segment.toString().startsWith('..') && segment.selectors.length === 1 && segment.selectors[0] instanceof WildcardSelector;
}

/** Whether the rest of a path below its segment `at` names at most one node (names and indexes only). */
function definiteBelow(jsonKey: string, at: number): boolean {
  const compiled = compileJsonPath(jsonKey);
  if ('error' in compiled) return false;
  return compiled.query.segments.slice(at + 1).every((segment) => !segment.toString().startsWith('..') && segment.selectors.length === 1
    && (segment.selectors[0] instanceof NameSelector || segment.selectors[0] instanceof IndexSelector));
}

/**
 * The item plan of a trigger, or null when its identifier does not iterate (one contact, or one
 * array), or when no mapping reads the item: then every item's run would be the same run, and two
 * items naming one contact start one run for it, as before items.
 */
export function itemPlan(identifierKey: string, mappings: readonly VariableMapping[]): ItemPlan | null {
  const found = iteratorPrefix(identifierKey);
  if (!found) return null;
  const perItem: ItemPlan['perItem'] = [];
  const shared: VariableMapping[] = [];
  for (const m of mappings) {
    if (readsItem(m.jsonKey, found)) perItem.push({ ...m, definite: definiteBelow(m.jsonKey, found.at) });
    else shared.push(m);
  }
  return perItem.length === 0 ? null : { at: found.at, perItem, shared };
}

function nodesOf(body: unknown, jsonKey: string): { nodes: JSONPathNode[] } | { error: string } {
  if (body === undefined) return { nodes: [] };
  const compiled = compileJsonPath(jsonKey);
  if ('error' in compiled) return { error: `is not a valid JSONPath (${compiled.error})` };
  try {
    return { nodes: compiled.query.query(body as Parameters<typeof compiled.query.query>[0]).nodes };
  } catch (error) {
    return { error: `could not be evaluated (${error instanceof Error ? error.message : String(error)})` };
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const pathOf = (location: readonly (string | number)[]) =>
  `$${location.map((c) => (typeof c === 'number' ? `[${c}]` : NAME.test(c) ? `.${c}` : `[${JSON.stringify(c)}]`)).join('')}`;

/**
 * A delivery read item by item: the identifier values of each item (in the body's order; an item
 * whose identifier is missing or blank is no item), each item's own mappings, and the mappings
 * read from the whole body. The identifier's checks (at most MAX_IDENTIFIER_VALUES, texts or
 * numbers) are over all its values together, with the same messages as without items.
 */
export function extractItems(body: unknown, identifierKey: string, plan: ItemPlan): ItemsExtraction {
  const shared = extractMappings(body, plan.shared);
  const found = nodesOf(body, identifierKey);
  if ('error' in found) return { error: `${identifierKey} ${found.error}`, shared };
  if (found.nodes.length === 0) return { error: nothingMatched(identifierKey), shared };
  const all = identifierValues(found.nodes.flatMap((n) => (Array.isArray(n.value) ? n.value : [n.value])), identifierKey);
  if ('error' in all) return { error: all.error, shared };

  const byKey = new Map<string | number, DeliveryItem>();
  for (const node of found.nodes) {
    const key = node.location[plan.at]!;
    let item = byKey.get(key);
    if (!item) byKey.set(key, (item = { path: pathOf(node.location.slice(0, plan.at + 1)), values: [], variables: {}, errors: [] }));
    for (const v of Array.isArray(node.value) ? node.value : [node.value]) {
      const text = String(v).trim();
      if (text !== '') item.values.push(text);
    }
  }
  for (const [key, item] of byKey) if (item.values.length === 0) byKey.delete(key);
  for (const mapping of plan.perItem) readPerItem(body, mapping, plan.at, byKey);
  return { values: all.values, items: [...byKey.values()], shared };
}

/**
 * One mapping's value in each item: what its path selects below that item, one value or a list
 * as the rest of the path says (an item whose `lines` are empty gets []).
 */
function readPerItem(body: unknown, { jsonKey, variable, definite }: ItemPlan['perItem'][number], at: number, items: Map<string | number, DeliveryItem>) {
  const found = nodesOf(body, jsonKey);
  const inItem = new Map<string | number, JSONPathNode[]>();
  if ('nodes' in found) {
    for (const node of found.nodes) {
      const key = node.location[at]!;
      const list = inItem.get(key);
      if (list) list.push(node);
      else inItem.set(key, [node]);
    }
  }
  for (const [key, item] of items) {
    const nodes = inItem.get(key);
    const value = 'error' in found ? found
      : !nodes && definite ? { error: `matched nothing in ${item.path}` }
      : mappedValue((nodes ?? []).map((n) => n.value), definite, jsonKey);
    if ('error' in value) item.errors.push({ variable, jsonKey, message: `${jsonKey} ${value.error}` });
    else item.variables[variable] = value.value;
  }
}
