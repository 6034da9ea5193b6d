import { describe, expect, it } from 'vitest';
import { isUnsafeIntegerText, parseJsonExact } from './exact-json';

describe('parseJsonExact', () => {
  it.each<[string, string, unknown]>([
    ["Shopify's own example order id", '{"id":820982911946154508}', { id: '820982911946154508' }],
    ['a 20-digit id', '{"id":12345678901234567890}', { id: '12345678901234567890' }],
    ['a negative one', '[-820982911946154508]', ['-820982911946154508']],
    ['2^53 + 1', '9007199254740993', '9007199254740993'],
    // Numbers a double holds exactly stay numbers.
    ['the largest safe integer', '{"n":9007199254740991}', { n: 9007199254740991 }],
    ['a 16-digit safe id', '{"n":1234567890123456}', { n: 1234567890123456 }],
    ['a long decimal (not an integer)', '{"n":1234567890123456789.5}', { n: 1234567890123456789.5 }],
    ['an exponent', '{"n":1e300}', { n: 1e300 }],
    ['an integer written with an exponent', '{"n":12345678901234567e3}', { n: 12345678901234567e3 }],
    ['digits in a string are left alone', '{"s":"820982911946154508","n":5}', { s: '820982911946154508', n: 5 }],
    ['no long digits at all', '{"a":[1,2.5,"x",null,true]}', { a: [1, 2.5, 'x', null, true] }],
    ['nested, beside other values', '{"o":{"items":[{"id":820982911946154508,"qty":2}]},"t":12.5}', { o: { items: [{ id: '820982911946154508', qty: 2 }] }, t: 12.5 }],
  ])('%s', (_, text, expected) => {
    expect(parseJsonExact(text)).toStrictEqual(expected);
  });

  it('keeps "__proto__" an own key, as JSON.parse does', () => {
    const parsed = parseJsonExact('{"__proto__":{"x":1},"id":820982911946154508}') as Record<string, unknown>;
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('parses a body nested deeper than the reviver can walk as JSON.parse does, not as malformed', () => {
    const depth = 100_000;
    const parsed = parseJsonExact(`${'['.repeat(depth)}820982911946154508${']'.repeat(depth)}`);
    expect(Array.isArray(parsed)).toBe(true);
  });

  it('throws on malformed JSON, as JSON.parse does', () => {
    expect(() => parseJsonExact('{"id":820982911946154508')).toThrow(SyntaxError);
    expect(() => parseJsonExact('{')).toThrow(SyntaxError);
  });
});

describe('isUnsafeIntegerText', () => {
  it.each<[unknown, boolean]>([
    ['820982911946154508', true],
    ['-820982911946154508', true],
    ['9007199254740992', true],
    ['9007199254740991', false],
    ['0820982911946154508', false],
    ['820982911946154508.0', false],
    [' 820982911946154508', false],
    ['8.2e17', false],
    [820982911946154508, false],
  ])('%j -> %s', (value, expected) => {
    expect(isUnsafeIntegerText(value)).toBe(expected);
  });
});
