import fc from 'fast-check';
import { jsonpath } from 'json-p3';
import { describe, expect, it } from 'vitest';
import { extractIdentifier, extractMappings, matchSimplePath, MAX_IDENTIFIER_VALUES, MAX_LIST_VALUES, type MappedValue } from './jsonpath-mapping';

const body = {
  phone: '+14155550123',
  custom_fields: { phone: '+4930123456', vip: true, score: 7.5, note: null },
  data: { contacts: [{ firstName: 'Ada' }, { firstName: 'Grace' }] },
  ids: ['c_1', 2, ' c_3 '],
  empty: '  ',
  mixed: ['a', { b: 1 }],
  one: ['A1'],
  empty_list: [],
};

describe('extractMappings', () => {
  it.each<[string, string, MappedValue]>([
    ['a top-level key', '$.phone', '+14155550123'],
    ['a nested key', '$.custom_fields.phone', '+4930123456'],
    ['an array element', '$.data.contacts[1].firstName', 'Grace'],
    ['a boolean', '$.custom_fields.vip', true],
    ['a number', '$.custom_fields.score', 7.5],
    ['null', '$.custom_fields.note', null],
    // A path that can select several values always gives a list (text shows it as "Ada, Grace"),
    // however many this body holds: one line item is ["IPOD-342"], as two are ["IPOD-342", "CASE-9"].
    ['a wildcard', '$.data.contacts[*].firstName', ['Ada', 'Grace']],
    ['a filter selecting two', '$.data.contacts[?@.firstName].firstName', ['Ada', 'Grace']],
    ['a filter selecting one', '$.data.contacts[?@.firstName == "Grace"].firstName', ['Grace']],
    ['a slice selecting one', '$.data.contacts[0:1].firstName', ['Ada']],
    ['a union', '$.data.contacts[0,1].firstName', ['Ada', 'Grace']],
    ['a union of one name', "$.custom_fields['phone','nope']", ['+4930123456']],
    ['descendants', '$..firstName', ['Ada', 'Grace']],
    ['descendants selecting one', '$..vip', [true]],
    ['a wildcard selecting nothing', '$.data.contacts[*].lastName', []],
    ['a wildcard over an empty array', '$.empty_list[*].sku', []],
    ['a filter selecting nothing', '$.data.contacts[?@.firstName == "Linus"].firstName', []],
    // A definite path gives what it names: one array of values is a list, one value is itself.
    ['one array of values', '$.ids', ['c_1', 2, ' c_3 ']],
    ['one array of one value', '$.one', ['A1']],
    ['quoted names', "$['custom_fields']['phone']", '+4930123456'],
  ])('reads %s', (_, jsonKey, expected) => {
    expect(extractMappings(body, [{ jsonKey, variable: 'v' }])).toEqual({ values: { v: expected }, errors: [] });
  });

  it.each<[string, unknown, string, string]>([
    ['a missing key', body, '$.nope', '$.nope matched nothing in the body'],
    ['an index past the end', body, '$.data.contacts[5].firstName', 'matched nothing'],
    // The hint names a value inside, by the author's own path.
    ['an object', body, '$.custom_fields', '$.custom_fields resolves to an object; map a value inside it, e.g. $.custom_fields.phone'],
    ['an array of objects', body, '$.data.contacts', '$.data.contacts selects objects, not values; map a value inside them, e.g. $.data.contacts[*].firstName'],
    ['the objects of a wildcard', { line_items: [{ sku: 'A1', qty: 1 }] }, '$.line_items[*]', '$.line_items[*] selects objects, not values; map a value inside them, e.g. $.line_items[*].sku'],
    ['a key that needs quotes', { a: [{ 'first name': 'Ada' }] }, '$.a[*]', '$.a[*] selects objects, not values; map a value inside them, e.g. $.a[*]["first name"]'],
    ['the whole body', body, '$', 'resolves to an object'],
    ['a list holding an object', body, '$.mixed', 'selects objects, not values'],
    ['an invalid path stored by an earlier version', body, '$.data.contacts[?(@.firstName', 'is not a valid JSONPath'],
    ['a filter selecting two objects', body, '$.data.contacts[?@.firstName]', 'selects objects, not values'],
    ['a wildcard that is not valid', { items: [] }, '$.items[*', 'is not a valid JSONPath'],
    ['more values than a list holds', { items: Array.from({ length: MAX_LIST_VALUES + 1 }, (_, i) => ({ sku: `s${i}` })) }, '$.items[*].sku',
      `selects ${MAX_LIST_VALUES + 1} values; at most ${MAX_LIST_VALUES} make a list`],
    ['a body that is not JSON object', 'text', '$.phone', 'matched nothing'],
    ['a null body', null, '$.phone', 'matched nothing'],
  ])('reports %s', (_, input, jsonKey, message) => {
    const result = extractMappings(input, [{ jsonKey, variable: 'v' }]);
    expect(result.values).toEqual({});
    expect(result.errors).toEqual([{ variable: 'v', jsonKey, message: expect.stringContaining(message) }]);
  });

  it('keeps the good mappings when others fail', () => {
    const result = extractMappings(body, [
      { jsonKey: '$.phone', variable: 'phone' },
      { jsonKey: '$.nope', variable: 'nope' },
      { jsonKey: '$.data.contacts[0].firstName', variable: 'first' },
    ]);
    expect(result.values).toEqual({ phone: '+14155550123', first: 'Ada' });
    expect(result.errors.map((e) => e.variable)).toEqual(['nope']);
  });
});

describe('extractIdentifier', () => {
  it.each<[string, unknown, string, { values: string[] } | { error: string }]>([
    ['a string', body, '$.phone', { values: ['+14155550123'] }],
    ['a number', { id: 42 }, '$.id', { values: ['42'] }],
    ['a list, trimmed', body, '$.ids', { values: ['c_1', '2', 'c_3'] }],
    // A batch: several values selected are the list, as one array is.
    ['one per item of a top-level array', [{ email: 'a@x.co' }, { email: 'b@x.co' }], '$[*].email', { values: ['a@x.co', 'b@x.co'] }],
    ['lists inside items, flattened', { orders: [{ ids: ['c_1'] }, { ids: ['c_2', 'c_3'] }] }, '$.orders[*].ids', { values: ['c_1', 'c_2', 'c_3'] }],
    ['a filter', { people: [{ id: 'c_1', vip: true }, { id: 'c_2' }] }, '$.people[?@.vip].id', { values: ['c_1'] }],
    ['items that are objects', [{ email: { work: 'a@x.co' } }], '$[*].email', { error: '$[*].email must be a text or a number, or a list of them' }],
    ['a wildcard matching nothing', [], '$[*].email', { error: '$[*].email matched nothing in the body' }],
    ['too many items', Array.from({ length: MAX_IDENTIFIER_VALUES + 1 }, (_, i) => ({ email: `p${i}@x.co` })), '$[*].email',
      { error: `$[*].email holds ${MAX_IDENTIFIER_VALUES + 1} values; at most 100 contacts per request` }],
    ['a missing key', body, '$.nope', { error: '$.nope matched nothing in the body' }],
    ['an object', body, '$.custom_fields', { error: '$.custom_fields must be a text or a number, or a list of them' }],
    ['a list holding an object', body, '$.mixed', { error: '$.mixed must be a text or a number, or a list of them' }],
    ['a boolean', body, '$.custom_fields.vip', { error: '$.custom_fields.vip must be a text or a number, or a list of them' }],
    // null is no value: the body names nobody (a guest order), as an empty text does.
    ['null', body, '$.custom_fields.note', { error: '$.custom_fields.note is empty' }],
    ['a blank string', body, '$.empty', { error: '$.empty is empty' }],
    ['an empty list', { ids: [] }, '$.ids', { error: '$.ids is empty' }],
    ['too many', { ids: Array.from({ length: MAX_IDENTIFIER_VALUES + 1 }, (_, i) => i) }, '$.ids', { error: `$.ids holds ${MAX_IDENTIFIER_VALUES + 1} values; at most 100 contacts per request` }],
  ])('%s', (_, input, jsonKey, expected) => {
    expect(extractIdentifier(input, jsonKey)).toEqual(expected);
  });

  it('accepts exactly the maximum', () => {
    const ids = Array.from({ length: MAX_IDENTIFIER_VALUES }, (_, i) => `c${i}`);
    expect(extractIdentifier({ ids }, '$.ids')).toEqual({ values: ids });
  });
});

describe('matchSimplePath (the fast path)', () => {
  const rfc = (json: unknown, path: string) => jsonpath.query(path, json as Parameters<typeof jsonpath.query>[1]).values();

  // Keys where a plain property read and RFC 9535 could part ways: inherited, array/string own
  // properties, numeric-looking.
  const trickyKeys = ['length', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '0', '1', '01'];
  const names = ['phone', 'order', 'id', 'data', '_x', ...trickyKeys];

  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, fc.constantFrom('', 'ab', 0, false, null, [], {}), fc.jsonValue({ maxDepth: 2 }), tie('object'), tie('array')),
    // Object.fromEntries makes `__proto__` an own key, as JSON.parse does.
    object: fc.array(fc.tuple(fc.constantFrom(...names), tie('tree')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
    array: fc.array(tie('tree'), { maxLength: 4 }),
  }));
  const bodies = fc.oneof(tree, fc.jsonValue());

  const asSegment = (key: string): string | undefined =>
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : /^(0|-?[1-9]\d*)$/.test(key) ? `[${key}]` : undefined;
  const poolSegments = [...names, '2', '10', '-1', '-2', '-10'].flatMap((k) => asSegment(k) ?? []);
  // Each step mostly (4 in 5) follows a key the value at hand really has (a string's or an
  // array's `length` too), so deep matches are common, or else takes one from the pool.
  const pathOver = (json: unknown) =>
    fc.array(fc.tuple(fc.nat(4), fc.nat(), fc.constantFrom(...poolSegments)), { maxLength: 5 }).map((steps) => {
      let value: unknown = json;
      let path = '$';
      for (const [follow, pick, fromPool] of steps) {
        const own = (value == null ? [] : Object.getOwnPropertyNames(Object(value))).filter((k) => asSegment(k));
        const key = follow > 0 && own.length > 0 ? own[pick % own.length]! : undefined;
        path += key === undefined ? fromPool : asSegment(key);
        value = key === undefined || value == null ? undefined : (value as Record<string, unknown>)[key];
      }
      return path;
    });

  it('selects exactly what RFC 9535 selects (json-p3)', () => {
    fc.assert(
      fc.property(bodies.chain((b) => fc.tuple(fc.constant(b), pathOver(b))), ([json, path]) => {
        const fast = matchSimplePath(json, path);
        expect(fast).toBeDefined();
        expect(fast).toStrictEqual(rfc(json, path));
      }),
      { numRuns: 5_000 },
    );
  });

  it.each<[string, unknown, unknown[]]>([
    ['$.phone', body, ['+14155550123']],
    ['$.custom_fields.phone', body, ['+4930123456']],
    ['$.data.contacts[1].firstName', body, ['Grace']],
    ['$.data.contacts[-1].firstName', body, ['Grace']],
    ['$.data.contacts[-3]', body, []],
    ['$', body, [body]],
    ['$.custom_fields.note', body, [null]],
    ['$.nope', body, []],
    ['$.constructor', body, []],
    ['$.toString', body, []],
    ['$.__proto__', JSON.parse('{"__proto__":1}'), [1]],
    // Members of strings and arrays are not their internals.
    ['$.ids.length', body, []],
    ['$.phone.length', body, []],
    ['$.phone[0]', body, []],
    ['$.obj[0]', { obj: { 0: 'zero' } }, []],
  ])('%s', (path, json, expected) => {
    expect(matchSimplePath(json, path)).toStrictEqual(expected);
    expect(matchSimplePath(json, path)).toStrictEqual(rfc(json, path));
  });

  it.each(['$..phone', '$.data.contacts[*]', "$['phone']", '$.ids[0:1]', '$ .phone', '$.$', '$.1a', 'phone', '$[01]'])(
    'leaves %s to the full evaluator',
    (path) => {
      expect(matchSimplePath(body, path)).toBeUndefined();
    },
  );
});
