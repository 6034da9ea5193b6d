import { describe, expect, it } from 'vitest';
import { nulPaths, replaceNul, replaceNulDeep } from './nul-text';

describe('replaceNulDeep', () => {
  it.each<[unknown, unknown]>([
    ['a\u0000b\u0000', 'a\uFFFDb\uFFFD'],
    ['plain', 'plain'],
    [[1, null, true, 'x\u0000'], [1, null, true, 'x\uFFFD']],
    [{ 'k\u0000': { deep: ['\u0000'] }, other: 'ok' }, { 'k\uFFFD': { deep: ['\uFFFD'] }, other: 'ok' }],
  ])('%j -> %j', (input, expected) => {
    expect(replaceNulDeep(input)).toEqual(expected);
  });

  it('keeps a "__proto__" key a key beside a key that changes', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "\\u0000"}, "a\\u0000": 1}') as Record<string, unknown>;
    const out = replaceNulDeep(parsed);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a\uFFFD']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: '\uFFFD' });
  });

  it('walks any depth without the stack (/hooks takes any)', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let out = replaceNulDeep(deep);
    while (Array.isArray(out)) out = out[0];
    expect(out).toBe('x\uFFFD');
  });
});

describe('nulPaths', () => {
  it.each<[unknown, (string | number)[][]]>([
    ['clean', []],
    ['\u0000', [[]]],
    [{ a: 'x', b: ['ok', 'n\u0000'], 'k\u0000': 'v' }, [['b', 1], ['k\u0000']]],
  ])('%j -> %j', (input, expected) => {
    expect(nulPaths(input).sort()).toEqual(expected.sort());
  });

  it('stops at the limit', () => {
    expect(nulPaths(Array.from({ length: 50 }, () => '\u0000'), 3)).toHaveLength(3);
  });
});

it('replaceNul leaves text without NUL as it is', () => {
  const text = 'no nul here';
  expect(replaceNul(text)).toBe(text);
});
