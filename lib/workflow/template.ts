import { Contact } from '../contracts/contacts';
import { AD_REFERRAL_FIELDS } from '../contracts/ad-referral';
import { Conversation } from '../contracts/conversations';
import { isUnsafeIntegerText } from './exact-json';
import { renderUrlTemplate } from './outbound-templates';

// Templates in step configs: `{{$contact.firstName}}`, `{{$contact.fields.order_id}}`,
// `{{$trigger.order.total}}`, `{{$trigger.items[0].sku}}`, `{{$step.ticketId}}`, `{{$system.now}}`.
// Pure: the caller builds the scope (including `system.now`), so rendering is deterministic.

export const TEMPLATE_ROOTS = ['contact', 'conversation', 'trigger', 'step', 'system'] as const;
export type TemplateRoot = (typeof TEMPLATE_ROOTS)[number];

/**
 * What `{{$contact.<name>}}` and `{{$conversation.<name>}}` can read: the scope holds the run's
 * Contact and open Conversation as they are (server/engine/executor/step-context.ts templateScope).
 * Custom fields are under `$contact.fields.<key>`.
 */
export const CONTACT_VARIABLES: readonly string[] = Object.keys(Contact.shape);
export const CONVERSATION_VARIABLES: readonly string[] = Object.keys(Conversation.shape);

/** A conversation no ad opened: its `$conversation.adReferral.*` are known, and empty. */
const NO_AD_REFERRAL = Object.fromEntries(AD_REFERRAL_FIELDS.map((f) => [f, null]));
/** `$conversation` as a run's scope holds it. */
export const conversationScope = (c: Conversation | null): Record<string, unknown> | null =>
  (c ? { ...c, adReferral: c.adReferral ?? NO_AD_REFERRAL } : null);
/** What `{{$system.<name>}}` can read (the scope's `system`, built by the caller). */
export const SYSTEM_VARIABLES: readonly string[] = ['now'];

export type TemplateScope = {
  contact?: Record<string, unknown> | null;
  conversation?: Record<string, unknown> | null;
  trigger?: Record<string, unknown>;
  step?: Record<string, unknown>;
  system?: Record<string, unknown>;
};

export type TemplateResult = { text: string; unknown: string[] };

export type TemplateReference = {
  /** As written, without braces and spaces: `$trigger.order.total`. */
  name: string;
  /** `trigger`; any identifier, so a typo such as `$contcat` can be reported. */
  root: string;
  /** `['order', 'total']` */
  path: string[];
};

const PLACEHOLDER = /\{\{\s*\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_-]+|\[\d+\])*)\s*\}\}/g;

function parsePath(rest: string): string[] {
  return [...rest.matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** Every `{{$…}}` placeholder in a template, in order (repeats included). */
export function templateReferences(template: string): TemplateReference[] {
  return [...template.matchAll(PLACEHOLDER)].map(([, root = '', rest = '']) => ({
    name: `$${root}${rest}`,
    root,
    path: parsePath(rest),
  }));
}

/** As written (`{{ contact.firstName }}`) and as a reference (`contact`, `['firstName']`). */
export type RootlessReference = TemplateReference & { written: string };

const ROOTLESS = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_-]+|\[\d+\])+)\s*\}\}/g;

/**
 * Placeholders that look like ours but lack the `$` (`{{contact.firstName}}`, `{{ Trigger.id }}`):
 * the first segment is one of TEMPLATE_ROOTS in any case, followed by at least one `.name` or
 * `[0]`. The renderer leaves them as written; `{{1}}`, `{{first_name}}` or `{{order.id}}` are not
 * listed. `name` is the reference meant, with `$` and the root in lowercase.
 */
export function rootlessReferences(template: string): RootlessReference[] {
  return [...template.matchAll(ROOTLESS)].flatMap(([written, root = '', rest = '']) => {
    const lower = root.toLowerCase();
    return isTemplateRoot(lower) ? [{ written, name: `$${lower}${rest}`, root: lower, path: parsePath(rest) }] : [];
  });
}

function isTemplateRoot(root: string): root is TemplateRoot {
  return (TEMPLATE_ROOTS as readonly string[]).includes(root);
}

function lookup(scope: TemplateScope, root: string, path: readonly string[]): unknown {
  if (!isTemplateRoot(root)) return undefined;
  let value: unknown = scope[root];
  for (const key of path) {
    // Own properties only: `{{$contact.constructor}}` must not reach the prototype.
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** How a value reads inside text: arrays of plain values as "a, b", other objects as JSON. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return value.map(toText).join(', ');
  }
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** Values read instead of the scope's, by reference name (`$trigger.skus`): one element of a list at a time. */
export type TemplateOverrides = ReadonlyMap<string, unknown>;

function replacePlaceholders(
  template: string,
  scope: TemplateScope,
  format: (value: unknown, offset: number) => string,
  overrides?: TemplateOverrides,
): TemplateResult {
  const unknown: string[] = [];
  const text = template.replace(PLACEHOLDER, (_match, root: string, rest: string, offset: number) => {
    const name = `$${root}${rest}`;
    const value = overrides?.has(name) ? overrides.get(name) : lookup(scope, root, parsePath(rest));
    if (value === undefined && !unknown.includes(name)) unknown.push(name);
    return format(value, offset);
  });
  return { text, unknown };
}

/**
 * Renders a URL template: each value percent-encoded for the component it sits in (path segment,
 * query value, fragment), so it cannot add a segment, `..`, `?`, `#` or a query parameter; a
 * leading placeholder is a base URL (see renderUrlTemplate). `refused` says why the URL must not be used.
 */
export function renderUrl(template: string, scope: TemplateScope): TemplateResult & { refused?: string } {
  const unknown: string[] = [];
  const { url, refused } = renderUrlTemplate(template, new RegExp(PLACEHOLDER.source, 'g'), (m) => {
    const [, root = '', rest = ''] = m;
    const value = lookup(scope, root, parsePath(rest));
    const name = `$${root}${rest}`;
    if (value === undefined && !unknown.includes(name)) unknown.push(name);
    return toText(value);
  });
  return refused ? { text: url, unknown, refused } : { text: url, unknown };
}

/** Renders a text template. Unknown variables render '' and are listed in `unknown`. */
export function renderTemplate(template: string, scope: TemplateScope, overrides?: TemplateOverrides): TemplateResult {
  return replacePlaceholders(template, scope, (value) => toText(value), overrides);
}

/**
 * A text template rendered with its blank variables (as blankReferences reads them) left out,
 * along with the spaces before them: "{{first}} {{middle}} {{last}}" without a middle name reads
 * "Ana López", not "Ana  López". The text around them stays as written. `blank` names them.
 */
export function renderWithoutBlanks(template: string, scope: TemplateScope): TemplateResult & { blank: string[] } {
  const unknown: string[] = [];
  const blank: string[] = [];
  let text = '';
  // A left-out variable took the spaces before it: the text after it brings its own or gets one back.
  let gap = false;
  const append = (piece: string) => {
    if (piece === '') return;
    if (gap && !/^\s/.test(piece)) text += ' ';
    gap = false;
    text += piece;
  };
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const [written, root = '', rest = ''] = match;
    append(template.slice(last, match.index));
    last = match.index + written.length;
    const name = `$${root}${rest}`;
    const value = lookup(scope, root, parsePath(rest));
    if (value === undefined && !unknown.includes(name)) unknown.push(name);
    const piece = toText(value);
    if (piece.trim() !== '') {
      append(piece);
      continue;
    }
    if (!blank.includes(name)) blank.push(name);
    const before = text.replace(/[ \t]+$/, '');
    gap ||= before.length < text.length;
    text = before;
  }
  append(template.slice(last));
  return { text, unknown, blank };
}

/** The references of a template (each once, as written) whose value in this scope is a list. */
export function listReferences(template: string, scope: TemplateScope): { name: string; list: unknown[] }[] {
  const lists = new Map<string, unknown[]>();
  for (const r of templateReferences(template)) {
    const value = lookup(scope, r.root, r.path);
    if (Array.isArray(value)) lists.set(r.name, value);
  }
  return [...lists].map(([name, list]) => ({ name, list }));
}

/**
 * The placeholders of a template (as written in `templateReferences`, each once) whose value
 * reads as blank text in this scope: unknown, null, empty or only spaces. A tag or name built
 * from them would silently miss a part (`webhook-` from `webhook-{{$trigger.source}}`).
 */
export function blankReferences(template: string, scope: TemplateScope): string[] {
  const names = templateReferences(template).filter((r) => toText(lookup(scope, r.root, r.path)).trim() === '').map((r) => r.name);
  return [...new Set(names)];
}

/**
 * The raw value when the template is exactly one placeholder (so a branch can test a list of
 * tags or a number), otherwise the rendered text.
 */
export function resolveTemplateValue(template: string, scope: TemplateScope): { value: unknown; unknown: string[] } {
  const refs = templateReferences(template);
  const only = refs[0];
  if (refs.length === 1 && only && template.trim().replace(PLACEHOLDER, '') === '') {
    const value = lookup(scope, only.root, only.path);
    return { value, unknown: value === undefined ? [only.name] : [] };
  }
  const { text, unknown } = renderTemplate(template, scope);
  return { value: text, unknown };
}

/** Offsets inside a JSON text that fall within a string literal. */
function stringLiteralTest(json: string): (offset: number) => boolean {
  let scanned = 0;
  let inString = false;
  return (offset) => {
    for (; scanned < offset; scanned++) {
      const c = json[scanned];
      if (inString && c === '\\') scanned++;
      else if (c === '"') inString = !inString;
    }
    return inString;
  };
}

/**
 * Renders a JSON body template so the result stays valid JSON whatever the values hold:
 * - a placeholder inside a string literal (`"name": "{{$contact.firstName}}"`) inserts the value's
 *   text escaped for a JSON string (quotes, backslashes, newlines);
 * - a placeholder outside quotes (`"total": {{$trigger.total}}`) inserts the value as JSON
 *   (`42`, `"abc"`, `{"a":1}`, `["x"]`); an unknown variable there becomes `null`. A whole number
 *   past 2^53, which the webhook or HTTP answer sent as a number and we keep as its digits
 *   (exact-json.ts), goes back as those digits unquoted: `"id": {{$trigger.orderId}}` sends
 *   820982911946154508 as Shopify sent it. In quotes it is text, as any value is.
 * Placeholders are visited left to right, so the scan only ever moves forward.
 */
export function renderJsonTemplate(template: string, scope: TemplateScope): TemplateResult {
  const insideString = stringLiteralTest(template);
  return replacePlaceholders(template, scope, (value, offset) => {
    if (insideString(offset)) return JSON.stringify(toText(value)).slice(1, -1);
    return value === undefined ? 'null' : jsonOf(value);
  });
}

/** A value as a JSON token, integers kept as digits sent as numbers (in a list of values too). */
function jsonOf(value: unknown): string {
  if (isUnsafeIntegerText(value)) return value;
  if (Array.isArray(value) && value.some(isUnsafeIntegerText)) return `[${value.map(jsonOf).join(',')}]`;
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}
