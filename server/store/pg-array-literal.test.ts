import { describe, expect, it } from 'vitest';
import { arrayLiteral, withArrayLiterals } from './pg-array-literal';

describe('PostgreSQL array literals written by JSON.stringify', () => {
  it('quotes strings and escapes quotes and backslashes as the literal reads them', () => {
    expect(arrayLiteral(['a', 'say "hi"', 'C:\\dir', '', 'NULL', '{x,y}'])).toBe('{"a","say \\"hi\\"","C:\\\\dir","","NULL","{x,y}"}');
  });

  it('writes null and undefined as NULL and finite numbers as they are', () => {
    expect(arrayLiteral([null, undefined, 1, -2.5, 0])).toBe('{null,null,1,-2.5,0}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('leaves to pg what JSON would escape differently, or does not write as text', () => {
    for (const odd of [['line\nbreak'], ['tab\t'], ['\u0000'], ['lone \ud800'], [new Date(0)], [true], [['nested']], [Number.NaN], [Infinity], [{ a: 1 }], [Buffer.from('x')]]) {
      expect(arrayLiteral(odd), JSON.stringify(odd)).toBeUndefined();
    }
    // A surrogate pair (an emoji) is well formed: JSON writes it as it is.
    expect(arrayLiteral(['🙂'])).toBe('{"🙂"}');
    // A backslash of the text before n reads like JSON's newline: that array goes the slow way too.
    expect(arrayLiteral(['C:\\new'])).toBeUndefined();
  });

  it('replaces only the arrays it can write, and copies the parameters only then', () => {
    const params = ['x', ['a', 'b'], ['new\nline'], 3];
    const out = withArrayLiterals(params);
    expect(out).toEqual(['x', '{"a","b"}', ['new\nline'], 3]);
    expect(params[1]).toEqual(['a', 'b']);
    const plain = ['x', 1];
    expect(withArrayLiterals(plain)).toBe(plain);
  });
});
