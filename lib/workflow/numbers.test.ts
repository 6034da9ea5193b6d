import { describe, expect, it } from 'vitest';
import { ambiguousNumberHint } from './number-hint';
import { readNumber } from './numbers';

describe('readNumber', () => {
  it.each<[string, unknown, number]>([
    ['a number', 120, 120],
    ['plain text', '120', 120],
    ['a negative', '-7', -7],
    ['a plain decimal', '12.5', 12.5],
    ['two decimals', '1.25', 1.25],
    ['four decimals', '1.2500', 1.25],
    ['a decimal point with four digits before', '1250.000', 1250],
    ['a leading zero never opens a group (dot)', '0.125', 0.125],
    ['a leading zero never opens a group (comma)', '0,125', 0.125],
    ['a point first', '.5', 0.5],
    ['a point last', '5.', 5],
    ['a whole number past 2^53, approximately', '820982911946154508', 820982911946154508],
    ['a JSON number with three decimals (a number, not text)', 1.125, 1.125],
    ['US grouping and decimals', '1,250.00', 1250],
    ['German grouping and decimals', '1.250,00', 1250],
    ['French spaces', '1 250,00', 1250],
    ['a no-break space', '1\u00A0250,50', 1250.5],
    ['a narrow no-break space', '1\u202F250', 1250],
    ['Swiss apostrophes', "1'250.50", 1250.5],
    ['several groups of commas', '1,250,000', 1_250_000],
    ['several groups of dots', '1.250.000', 1_250_000],
    ['Indian grouping', '12,50,000', 1_250_000],
    ['a decimal comma', '12,5', 12.5],
    ['a decimal comma, two places', '1,25', 1.25],
    ['a decimal comma after four digits', '1250,000', 1250],
    ['a euro sign', '€120', 120],
    ['a euro sign after, spaced', '120 €', 120],
    ['a code before', 'USD 1,250.00', 1250],
    ['a code after', '1.250,00 EUR', 1250],
    ['real', 'R$ 1.250,00', 1250],
    ['US$', 'US$5', 5],
    ['a minus before the sign', '-€120', -120],
    ['a minus after the sign', '€-120', -120],
    ['pounds with pence', '£1,250.99', 1250.99],
  ])('reads %s', (_, value, expected) => {
    expect(readNumber(value)).toEqual({ number: expected });
  });

  it.each<[string, unknown, string]>([
    ['a word', 'abc', 'is not a number'],
    ['digits then letters', '12abc', 'is not a number'],
    ['a broken group', '1,2.5', 'is not a number'],
    ['two signs', '-€-5', 'is not a number'],
    ['empty text', '  ', 'is empty'],
    ['nothing', undefined, 'is empty'],
    ['a list', ['1'], 'is not a number'],
    ['one comma and three digits', '1,250', 'could be 1250 or 1.25 depending on the locale'],
    // Number() reads it as 1.25, but a German, Spanish or Italian "1.250" is 1250.
    ['one dot and three digits', '1.250', 'could be 1250 or 1.25 depending on the locale'],
    ['a minus, one dot and three digits', '-12.500', 'could be -12500 or -12.5 depending on the locale'],
    // What Number() reads but no one writes as an amount.
    ['hexadecimal', '0x100', 'is not a number'],
    ['octal', '0o17', 'is not a number'],
    ['binary', '0b101', 'is not a number'],
    ['an exponent', '1e3', 'is not a number'],
    ['an exponent with a sign', '-3.5E2', 'is not a number'],
    ['Infinity', 'Infinity', 'is not a number'],
    ['an underscore', '1_000', 'is not a number'],
    ['a currency, one dot and three digits', '€1.250', 'could be 1250 or 1.25 depending on the locale'],
    ['a currency, one comma and three digits', '$12,500', 'could be 12500 or 12.5 depending on the locale'],
  ])('finds no number in %s', (_, value, problem) => {
    expect(readNumber(value)).toMatchObject({ problem });
  });

  it('says which two numbers an ambiguous text could be, for a message that shows how to write either', () => {
    expect(readNumber('1,250')).toEqual({ problem: expect.any(String), ambiguous: { grouped: 1250, decimal: 1.25, separator: ',' } });
    expect(readNumber('€1.250')).toEqual({ problem: expect.any(String), ambiguous: { grouped: 1250, decimal: 1.25, separator: '.' } });
    expect(readNumber('1.250')).toEqual({ problem: expect.any(String), ambiguous: { grouped: 1250, decimal: 1.25, separator: '.' } });
    expect(readNumber('abc')).toEqual({ problem: 'is not a number' });
  });

  // The minus belongs to both readings: "-1,250" is -1250 or -1.25, never 1250.
  it.each<[string, number, number, '.' | ',']>([
    ['-1,250', -1250, -1.25, ','],
    ['-1.250', -1250, -1.25, '.'],
    ['-€1.250', -1250, -1.25, '.'],
    ['€ -1,250', -1250, -1.25, ','],
  ])('keeps the sign of an ambiguous %s', (text, grouped, decimal, separator) => {
    expect(readNumber(text)).toEqual({ problem: `could be ${grouped} or ${decimal} depending on the locale`, ambiguous: { grouped, decimal, separator } });
  });
});

describe('ambiguousNumberHint', () => {
  it.each<[string, string]>([
    ['1,250', '"1,250" could be 1250 or 1.25: please write the number without a separator (1250) or with its decimals (1,250.00).'],
    ['1.250', '"1.250" could be 1250 or 1,25: please write the number without a separator (1250) or with its decimals (1.250,00).'],
    ['-1,250', '"-1,250" could be -1250 or -1.25: please write the number without a separator (-1250) or with its decimals (-1,250.00).'],
    ['-1.250', '"-1.250" could be -1250 or -1,25: please write the number without a separator (-1250) or with its decimals (-1.250,00).'],
    ['-9,005', '"-9,005" could be -9005 or -9.005: please write the number without a separator (-9005) or with its decimals (-9,005.00).'],
  ])('tells how to write %s, sign kept', (text, hint) => {
    const reading = readNumber(text);
    expect('ambiguous' in reading && reading.ambiguous ? ambiguousNumberHint(text, reading.ambiguous) : reading).toBe(hint);
  });
});
