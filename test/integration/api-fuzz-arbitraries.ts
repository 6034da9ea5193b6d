import fc from 'fast-check';
import { STEP_TYPES } from '../../lib/contracts/steps';

// Inputs for the API fuzzer: junk values of every JSON type (huge, deeply nested, hostile text,
// prototype-pollution keys), near-valid bodies made by mutating a valid one at random places,
// and raw texts no JSON encoder would produce.

/** A body sent as these exact bytes with `Content-Type: application/json`. */
export class Raw {
  constructor(readonly text: string) {}
  toString() { return `Raw(${this.text.length > 200 ? `${this.text.slice(0, 200)}…` : this.text})`; }
}

/**
 * A value nested `depth` levels deep, kept as a marker until `toJsonText` writes it: deeper than
 * JSON.stringify (or any recursive walk in this file) could go.
 */
export class Deep {
  constructor(readonly depth: number, readonly kind: 'array' | 'object') {}
  toJSON() { return `@@deep:${this.depth}:${this.kind}@@`; }
  text() {
    return this.kind === 'array' ? `${'['.repeat(this.depth)}"bottom"${']'.repeat(this.depth)}` : `${'{"a":'.repeat(this.depth)}"bottom"${'}'.repeat(this.depth)}`;
  }
}

/** The JSON text of a body, Deep markers written out. */
export function toJsonText(body: unknown): string {
  return JSON.stringify(body).replace(/"@@deep:(\d+):(array|object)@@"/g, (_m, d: string, k: 'array' | 'object') => new Deep(Number(d), k).text());
}

const HOSTILE_TEXT = [
  '', ' ', '\u0000', 'a\u0000b', '\u202e', '💸', '<script>alert(1)</script>', "'; drop table contacts; --", '%', '%00', '../..',
  '{{$contact.firstName}}', '{{', '}}', '{{auth.x}}', '{{input.}}', '$', '$.', '$..*', '$[*]', '$[?(@.a)]', '$[(@.length-1)]',
  '$.__proto__', '$.constructor.prototype', '$[?(@.constructor.constructor("return process")())]', '$.a[9999999999]',
  'https://127.0.0.1/', 'http://[::1]/', 'javascript:alert(1)', '+14155550123', '+1', 'a@b.c', 'NaN', 'null', 'true', '1e999',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '0', '-1', '2026-02-30', '25:61', 'x'.repeat(65),
];

/** Any JSON value, slanted towards the ones that break parsers and validators. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, [], {}, [null], { '': null }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map((n) => 'x'.repeat(10 ** n)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(10, 100, 1000, 3000, 20_000, 100_000), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => new Deep(d, k)) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 10 }), { minLength: 50, maxLength: 300 }) },
);

type Key = string | number;
type Mutation = { pick: number; op: 'replace' | 'delete' | 'add' | 'dup' | 'retype'; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom('replace', 'replace', 'delete', 'add', 'dup', 'retype'),
  key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'type', 'id', 'key', '', 'then'),
  value: junk,
});

/** Every place in `v` a mutation may hit; not inside deep junk an earlier mutation put there. */
function pathsOf(v: unknown, maxDepth = 12): Key[][] {
  const out: Key[][] = [];
  const todo: [unknown, Key[]][] = [[v, []]];
  while (todo.length) {
    const [x, at] = todo.pop()!;
    out.push(at);
    if (at.length >= maxDepth || !x || typeof x !== 'object' || x instanceof Deep) continue;
    if (Array.isArray(x)) x.forEach((y, i) => todo.push([y, [...at, i]]));
    else for (const [k, y] of Object.entries(x)) todo.push([y, [...at, k]]);
  }
  return out;
}

/** A copy of a JSON value, without recursion (junk nests thousands deep). */
function clone(v: unknown): unknown {
  const copy = (x: unknown) => (Array.isArray(x) ? [...x] : x && typeof x === 'object' && !(x instanceof Deep) ? { ...x } : x);
  const root = copy(v);
  const todo: unknown[] = [root];
  while (todo.length) {
    const x = todo.pop() as Record<string, unknown>;
    if (!x || typeof x !== 'object' || x instanceof Deep) continue;
    for (const k of Object.keys(x)) {
      const c = copy(x[k]);
      setOwn(x, k, c);
      todo.push(c);
    }
  }
  return root;
}

/** An own property even for `__proto__`, so JSON.stringify sends it as a key. */
const setOwn = (o: object, k: Key, value: unknown) =>
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });

function applyOne(root: unknown, mutation: Mutation): unknown {
  const paths = pathsOf(root);
  const path = paths[mutation.pick % paths.length]!;
  // Constants are shared between runs: never put one in the tree by reference.
  const m = { ...mutation, value: clone(mutation.value) };
  const retyped = (v: unknown) => (v instanceof Deep ? v : Array.isArray(v) ? { 0: v[0] } : v && typeof v === 'object' ? Object.values(v) : typeof v === 'string' ? [v] : typeof v === 'number' ? String(v) : v === null ? {} : Number(v));
  if (path.length === 0) return m.op === 'retype' ? retyped(root) : m.op === 'delete' ? undefined : m.value;
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], root);
  const last = path[path.length - 1]!;
  const target = parent[last];
  switch (m.op) {
    case 'replace': setOwn(parent, last, m.value); break;
    case 'retype': setOwn(parent, last, retyped(target)); break;
    case 'delete': if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last]; break;
    case 'add':
      if (Array.isArray(target)) target.push(m.value);
      else if (target && typeof target === 'object') setOwn(target, m.key, m.value);
      else if (Array.isArray(parent)) parent.push(m.value);
      else setOwn(parent, m.key, m.value);
      break;
    case 'dup': if (Array.isArray(parent)) parent.push(clone(target)); else setOwn(parent, `${String(last)}2`, clone(target)); break;
  }
  return root;
}

/** `base` with 0–4 random changes anywhere in it (0 keeps some runs valid, reaching the handlers). */
export function mutated(base: unknown | fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const bases = base instanceof fc.Arbitrary ? base : fc.constant(base);
  return fc.tuple(bases, fc.array(mutation, { maxLength: 4 }))
    .map(([b, ms]) => ms.reduce((v, m) => applyOne(v, m), clone(b)));
}

/** Texts sent as they are: malformed JSON, prototype pollution, over the size limit, nested past any stack. */
export function rawBodies(valid: unknown): fc.Arbitrary<Raw> {
  const json = JSON.stringify(valid);
  const inner = json.startsWith('{') && json.length > 2 ? `,${json.slice(1)}` : '}';
  return fc.constantFrom(
    `{"__proto__":{"polluted":true}${inner}`,
    `{"constructor":{"prototype":{"polluted":true}}${inner}`,
    `{"a":{"__proto__":{"polluted":true}},"b":[{"constructor":{"prototype":{"polluted":true}}}]}`,
    json.slice(0, -1), `${json}}`, `${json}\u0000`, `\ufeff${json}`, json.replaceAll('"', "'"), 'null', '""', '[]', '0', 'true', ' ',
    new Deep(100_000, 'array').text(), new Deep(100_000, 'object').text(),
    `{"pad":"${'x'.repeat(1024 * 1024 + 1)}"}`,
    `{"a":"\\ud800"}`, '{"a":1,"a":2}', '{"a":1e999}', '{"a":-0}',
  ).map((t) => new Raw(t));
}

/** Path parameters: ids that do not exist, hostile text, over-long values, encoded specials. */
export const pathParam: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom(...HOSTILE_TEXT.filter(Boolean)).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '%00', '%2F', '%2e%2e', '..', '.', 'wf_nope', 'run_nope', 'x'.repeat(101), 'x'.repeat(5000), '%F0%9F%92%B8'),
);

/** One valid step of each type, wired so a definition holding them all is publishable in shape. */
export const everyStep = (ids: { userId: string; manualId: string; appId: string }) => STEP_TYPES.map((type) => {
  const configs: Record<string, unknown> = {
    send_message: { text: 'Hello {{$contact.firstName}}' },
    add_comment: { text: 'Note {{$system.now}}' },
    update_contact_tag: { action: 'add', tags: ['vip'] },
    update_contact_field: { field: 'existing', value: '{{$contact.lastName}}' },
    assign_to: { userId: ids.userId },
    open_conversation: {},
    close_conversation: { category: 'Done', summary: 'ok' },
    branch: { branches: [{ name: 'VIP', conditions: { logic: 'and', rules: [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'vip' }] }, goTo: 'end' }], elseGoTo: 'end' },
    wait: { seconds: 60 },
    jump_to: { stepId: 'end' },
    http_request: { method: 'POST', url: 'https://example.com/orders', headers: [{ key: 'x-a', value: '{{$contact.id}}' }], body: '{"id":"{{$contact.id}}"}', responseMappings: [{ jsonKey: '$.id', variable: 'orderId' }] },
    trigger_workflow: { workflowId: ids.manualId },
    mini_app_action: { appId: ids.appId, actionKey: 'refund', inputs: { orderId: '{{$contact.id}}' } },
  };
  return { id: type === 'close_conversation' ? 'end' : type, type, config: configs[type] };
});
