import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../contracts/contacts';
import { WRITABLE_STANDARD_FIELDS, type WritableStandardField } from '../contracts/steps';
import { coerceFieldValue, fieldValueOf, readableFieldValues, standardFieldValue, writableField } from './field-values';

const field = (type: FieldDefinition['type'], options: string[] = []): FieldDefinition => ({ key: 'f', label: 'F', type, options });

describe('coerceFieldValue (custom fields)', () => {
  it.each<[FieldDefinition, string, unknown]>([
    [field('number'), ' 1,250.5 ', 1250.5],
    [field('number'), '1.250,00', 1250],
    [field('number'), '12,5', 12.5],
    [field('number'), '€1,250.00', 1250],
    [field('checkbox'), 'Yes', true],
    [field('checkbox'), '0', false],
    [field('date'), '2025-02-03', '2025-02-03'],
    [field('date'), '2025-02-03T11:00:00.000Z', '2025-02-03'],
    [field('list', ['Gold', 'Silver']), 'silver', 'Silver'],
    [field('email'), 'Ada@Example.COM', 'ada@example.com'],
    [field('phone'), '+1 (415) 555-0123', '+14155550123'],
    [field('phone'), '+44 (0)20 7946 0958', '+442079460958'],
    [field('url'), 'https://example.com/x', 'https://example.com/x'],
    [field('text'), 'anything', 'anything'],
    [field('number'), '   ', null],
  ])('%o <- %j', (def, text, value) => {
    expect(coerceFieldValue(def, text)).toEqual({ value });
  });

  it.each<[FieldDefinition, string, RegExp]>([
    [field('number'), 'ten', /"ten" is not a number/],
    // 1250 in the US, 1.25 in Germany: refused rather than guessed (it used to be 1250).
    [field('number'), '1,250', /could be 1250 or 1\.25.*without a thousands separator \(1250\)/],
    [field('checkbox'), 'maybe', /not true or false/],
    [field('date'), '03/02/2025', /Expected a date YYYY-MM-DD/],
    [field('list', ['Gold', 'Silver']), 'Platinum', /"Platinum": Expected one of: Gold, Silver/],
    [field('url'), 'ftp://x', /http\(s\) URL/],
    [field('email'), 'not-an-email', /email address/],
    [field('phone'), '0151 1234 5678', /Start with \+ and the country code/],
  ])('%o refuses %j', (def, text, error) => {
    expect(coerceFieldValue(def, text)).toEqual({ error: expect.stringMatching(error) });
  });

  // The Contact contract's limit, whatever the type; the message quotes the start, not 10 KB.
  it.each<[string, FieldDefinition, string, RegExp]>([
    ['text', field('text'), `${'s'.repeat(10_000)}|x`, /^"s{40}…": the value is 10,002 characters; a field holds at most 10,000$/],
    ['a URL', field('url'), `https://example.com/${'a'.repeat(10_000)}`, /^"https:\/\/example\.com\/a{20}…": the value is 10,020 characters; a field holds at most 10,000$/],
  ])('refuses %s longer than a field holds', (_name, def, text, error) => {
    expect(coerceFieldValue(def, text)).toEqual({ error: expect.stringMatching(error) });
  });
});

describe('standardFieldValue (the contact\'s own fields, as PATCH /contacts/:id reads them)', () => {
  it.each<[WritableStandardField, string, string | null]>([
    ['email', '  Ana@Example.COM ', 'ana@example.com'],
    ['phone', '+1 (415) 555-0123', '+14155550123'],
    ['phone', '0049 151 12345678', '+4915112345678'],
    ['firstName', '  Ana  ', 'Ana'],
    ['lastName', 'López', 'López'],
    ['firstName', '', ''],
    // Empty clears, as PATCH with null does (the step keeps a value whose variables came out empty).
    ['email', '  ', null],
    ['phone', '', null],
  ])('%s <- %j', (key, text, value) => {
    expect(standardFieldValue(key, text)).toEqual({ value });
  });

  it.each<[WritableStandardField, string, RegExp]>([
    ['email', 'ana@example', /"ana@example": Enter a valid email address/],
    ['email', `${'a'.repeat(250)}@example.com`, /at most 254 characters/],
    ['phone', '(415) 555-0123', /Start with \+ and the country code/],
    ['phone', '+1 415 abc', /Use only digits after the \+/],
    ['firstName', 'A'.repeat(101), /a name has at most 100 characters/],
  ])('%s refuses %j', (key, text, error) => {
    expect(standardFieldValue(key, text)).toEqual({ error: expect.stringMatching(error) });
  });
});

describe('phone numbers without a country code, read in the workspace\'s default country', () => {
  const notIn = (country: string, typed: string) => new RegExp(`^"${typed.replace(/[()]/g, '\\$&')}" is not a phone number: .*not a valid ${country} number either`);
  it.each<[string, string | null, string | RegExp]>([
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['(11) 91234-5678', 'BR', '+5511912345678'],
    ['+49 151 1234 5678', 'FR', '+4915112345678'],
    ['06 12', 'FR', notIn('FR', '06 12')],
    ['(11) 1234', 'BR', notIn('BR', '(11) 1234')],
    ['06 12 34 56 78', null, /Start with \+ and the country code/],
  ])('%j with %s: the contact\'s phone and a phone field alike', (text, country, expected) => {
    const read = typeof expected === 'string' ? { value: expected } : { error: expect.stringMatching(expected) };
    expect(standardFieldValue('phone', text, country)).toEqual(read);
    expect(coerceFieldValue(field('phone'), text, country)).toEqual(read);
    expect(fieldValueOf({ standard: 'phone' }, text, country)).toEqual(read);
  });
});

describe('writableField', () => {
  const defs = [{ key: 'order_total', label: 'Total', type: 'number', options: [] } satisfies FieldDefinition];
  it('knows the standard fields without definitions, custom ones by their definition, lifecycle not at all', () => {
    for (const key of WRITABLE_STANDARD_FIELDS) expect(writableField(key, [])).toEqual({ standard: key });
    expect(writableField('order_total', defs)).toEqual({ custom: defs[0] });
    expect(writableField('lifecycle', defs)).toBeUndefined();
    expect(writableField('nope', defs)).toBeUndefined();
    expect(fieldValueOf({ custom: defs[0]! }, 'abc')).toEqual({ error: '"abc" is not a number' });
  });
});

describe('readableFieldValues (stored values as the Contact contract reads them)', () => {
  it('keeps values that fit as they are (the same object)', () => {
    const fields = { a: 'x'.repeat(10_000), b: 3, c: true, d: null };
    expect(readableFieldValues(fields)).toBe(fields);
  });

  it.each<[string, unknown, number]>([
    ['text an older version stored', 's'.repeat(10_006), 10_006],
    ['a value that is not a field value at all', { nested: 'y'.repeat(20_000) }, 20_013],
  ])('cuts %s to fit, marked', (_name, value, stored) => {
    const read = readableFieldValues({ ok: 'kept', big: value });
    expect(read.ok).toBe('kept');
    expect(typeof read.big === 'string' && read.big.length).toBeLessThanOrEqual(10_000);
    expect(read.big).toMatch(new RegExp(`…\\[cut: ${stored.toLocaleString('en-US')} characters were stored; a field holds at most 10,000\\]$`));
  });
});
