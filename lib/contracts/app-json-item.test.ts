import { describe, expect, it } from 'vitest';
import { triggerItemsSchema } from './apps';

// A trigger's json item (the seed's "JSON variable" packaging many items) as apps send it: the
// value itself, or serialized in a string, which is read as the JSON it holds.

const schema = triggerItemsSchema({ key: 'paid', name: 'Paid', items: ['order'] }, [{ key: 'order', label: 'Order', type: 'json' }]);
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('a json item', () => {
  it.each([
    ['an object', { id: 'o1' }, { id: 'o1' }],
    ['a list', [1, 2], [1, 2]],
    ['a string holding an object', '{"id":"o1","lines":[{"sku":"a"}]}', { id: 'o1', lines: [{ sku: 'a' }] }],
    ['a string holding a list', ' [1, 2] ', [1, 2]],
    ['a string holding a number', '42', 42],
    ['a number', 42, 42],
    ['null (not sent)', null, null],
  ])('takes %s', (_what, order, expected) => {
    expect(schema.parse({ order })).toEqual({ order: expected });
  });

  it.each([
    ['text', 'paid', 'order must be JSON: '],
    ['an empty string', '', 'order must be JSON: '],
    ['cut-off JSON', '{"id":', 'order must be JSON: '],
    ['a string nesting too deep', deep(100), 'order nests more than 64 levels deep'],
    // Fastify refuses these keys in a request body; a string must not carry them past it.
    ['a "__proto__" key inside', '{"a": {"__proto__": {"admin": true}}}', 'order holds a "__proto__" or "constructor.prototype" key'],
    ['a "constructor.prototype" key', '{"constructor": {"prototype": {"admin": true}}}', 'order holds a "__proto__" or "constructor.prototype" key'],
  ])('refuses %s, naming the item', (_what, order, message) => {
    const r = schema.safeParse({ order });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['order', expect.stringContaining(message)]]);
  });
});
