import { describe, expect, it } from 'vitest';
import { extractItems, itemPlan, type ItemPlan } from './webhook-items';

const plan = (identifier: string, ...keys: string[]) => itemPlan(identifier, keys.map((jsonKey, i) => ({ jsonKey, variable: `v${i}` })));
const perItemKeys = (p: ItemPlan | null) => p?.perItem.map((m) => m.jsonKey);

describe('itemPlan: does the identifier iterate, and which mappings go through its item', () => {
  it.each<[string, string]>([
    ['one value', '$.phone'],
    ['an indexed element', '$.data.contacts[1].email'],
    ['one array (a list, not items)', '$.emails'],
    ['descendants before any iteration', '$..email'],
    ['a union of indexes', '$.people[0,1].email'],
    ['an iteration after descendants', '$..people[*].email'],
    ['a path that does not compile', '$.people[*'],
  ])('%s (%s) makes no items', (_, identifier) => {
    expect(itemPlan(identifier, [{ jsonKey: '$[*].name', variable: 'name' }, { jsonKey: '$.people[*].name', variable: 'names' }])).toBeNull();
  });

  it('makes no items when no mapping reads the item (each run would be the same)', () => {
    expect(itemPlan('$[*].email', [])).toBeNull();
    expect(itemPlan('$[*].email', [{ jsonKey: '$[0].name', variable: 'first' }, { jsonKey: '$..name', variable: 'all' }])).toBeNull();
  });

  it.each<[string, string, string[], string[]]>([
    ['a top-level batch', '$[*].email', ['$[*].name', '$[*].address.city', '$.batchId', '$[0].name', '$..name'], ['$[*].name', '$[*].address.city']],
    ['an array reached by index', '$.pages[0].people[*].email', ['$.pages[0].people[*].name', '$.pages[1].people[*].name'], ['$.pages[0].people[*].name']],
    ['an array inside the body', '$.orders[*].customer.email', ['$.orders[*].total', '$.orders[*].lines[*].sku', '$.orders[0].total', '$.other[*].total'],
      ['$.orders[*].total', '$.orders[*].lines[*].sku']],
    ['the same prefix quoted or spaced otherwise', '$.orders[*].email', ["$['orders'][*].total", '$.orders.*.name', '$.orders[ * ].id'],
      ["$['orders'][*].total", '$.orders.*.name', '$.orders[ * ].id']],
    // A wildcard over the identifier's array is each item's own value (a lead's name); another
    // filter or slice says which elements, so it reads the whole body.
    ['a filter: the same filter, or a wildcard', '$.data[?@.type=="lead"].email',
      ["$.data[? @.type == 'lead'].name", '$.data[*].name', '$.data.*.id', '$.data[?@.type=="client"].name', '$.data[0:2].name', '$.other[*].name', '$..name'],
      ["$.data[? @.type == 'lead'].name", '$.data[*].name', '$.data.*.id']],
    ['a slice: the same slice, or a wildcard', '$.people[1:].email', ['$.people[1:].name', '$.people[*].name', '$.people[2:].name'], ['$.people[1:].name', '$.people[*].name']],
    ['only the first iteration defines the item', '$.orders[*].buyers[*].email', ['$.orders[*].id', '$.orders[*].buyers[*].name'], ['$.orders[*].id', '$.orders[*].buyers[*].name']],
    ['the item itself', '$.emails[*]', ['$.emails[*]'], ['$.emails[*]']],
  ])('%s', (_, identifier, mappings, perItem) => {
    const p = plan(identifier, ...mappings);
    expect(perItemKeys(p)).toEqual(perItem);
    expect(p!.shared.map((m) => m.jsonKey)).toEqual(mappings.filter((k) => !perItem.includes(k)));
  });
});

describe('extractItems', () => {
  const orders = {
    batch: 'B-7',
    orders: [
      { customer: { email: 'ana@x.co', name: 'Ana' }, total: 30, lines: [{ sku: 'A1' }, { sku: 'B2' }] },
      { customer: { email: 'bob@x.co', name: 'Bob' }, total: 12.5, lines: [{ sku: 'C3' }] },
      { customer: { email: ' ana@x.co ' }, total: 8, lines: [] },
    ],
  };
  const read = (identifier: string, body: unknown, ...keys: string[]) => {
    const mappings = keys.map((jsonKey) => ({ jsonKey, variable: jsonKey.split('.').pop()!.replace(/\W/g, '') }));
    return extractItems(body, identifier, itemPlan(identifier, mappings)!);
  };

  it('gives each item its own values, and the rest from the whole body', () => {
    expect(read('$.orders[*].customer.email', orders, '$.orders[*].customer.name', '$.orders[*].total', '$.orders[*].lines[*].sku', '$.batch', '$.orders[*].customer.email')).toEqual({
      values: ['ana@x.co', 'bob@x.co', 'ana@x.co'],
      items: [
        { path: '$.orders[0]', values: ['ana@x.co'], variables: { name: 'Ana', total: 30, sku: ['A1', 'B2'], email: 'ana@x.co' }, errors: [] },
        // What is left below the item decides the shape: `.lines[*].sku` is a list for one line, and for none.
        { path: '$.orders[1]', values: ['bob@x.co'], variables: { name: 'Bob', total: 12.5, sku: ['C3'], email: 'bob@x.co' }, errors: [] },
        {
          path: '$.orders[2]', values: ['ana@x.co'], variables: { total: 8, sku: [], email: ' ana@x.co ' },
          errors: [
            { variable: 'name', jsonKey: '$.orders[*].customer.name', message: '$.orders[*].customer.name matched nothing in $.orders[2]' },
          ],
        },
      ],
      shared: { values: { batch: 'B-7' }, errors: [] },
    });
  });

  it('leaves out items without an identifier, and keeps the body order of a filter', () => {
    const body = [{ email: 'a@x.co', n: 1 }, { n: 2 }, { email: '  ', n: 3 }, { email: 'd@x.co', n: 4, vip: true }];
    const all = read('$[*].email', body, '$[*].n');
    expect('items' in all && all.items.map((i) => [i.path, i.values, i.variables.n])).toEqual([['$[0]', ['a@x.co'], 1], ['$[3]', ['d@x.co'], 4]]);
    const vip = read('$[?@.vip].email', body, '$[?@.vip].n');
    expect('items' in vip && vip.items.map((i) => [i.path, i.variables.n])).toEqual([['$[3]', 4]]);
    const wildcard = read('$[?@.vip].email', body, '$[*].n');
    expect('items' in wildcard && wildcard.items.map((i) => [i.path, i.variables.n])).toEqual([['$[3]', 4]]);
  });

  it('names an item of an object by its key', () => {
    const got = read('$.people.*.email', { people: { 'ana r': { email: 'a@x.co', age: 3 } } }, '$.people.*.age');
    expect('items' in got && got.items).toEqual([{ path: '$.people["ana r"]', values: ['a@x.co'], variables: { age: 3 }, errors: [] }]);
  });

  it('reports a per-item value that is an object in that item only', () => {
    const got = read('$[*].email', [{ email: 'a@x.co', who: 'Ana' }, { email: 'b@x.co', who: { first: 'Bob' } }], '$[*].who');
    expect('items' in got && got.items.map((i) => [i.variables, i.errors.map((e) => e.message)])).toEqual([
      [{ who: 'Ana' }, []],
      [{}, ['$[*].who resolves to an object; map a value inside it, e.g. $[*].who.first']],
    ]);
  });

  it.each<[string, unknown, string]>([
    ['nothing selected', [], '$[*].email matched nothing in the body'],
    ['an object for an identifier', [{ email: { a: 1 } }], '$[*].email must be a text or a number, or a list of them'],
    ['only blank identifiers', [{ email: ' ' }], '$[*].email is empty'],
    ['too many identifiers', Array.from({ length: 101 }, (_, i) => ({ email: `p${i}@x.co` })), '$[*].email holds 101 values; at most 100 contacts per request'],
  ])('refuses %s as without items', (_, body, error) => {
    expect(read('$[*].email', body, '$[*].name')).toMatchObject({ error });
  });
});
