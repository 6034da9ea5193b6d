import { describe, expect, it } from 'vitest';
import { type FormFieldInput, FormDefinition } from '../contracts/forms';
import { Email, normalizePhone } from '../contracts/common';
import { EMAIL_MESSAGE, formErrors, formSchema, PHONE_MESSAGE, REQUIRED_MESSAGE } from './form-schema';
import { NUL_MESSAGE } from './nul-text';

const schemaFor = (field: Omit<FormFieldInput, 'label' | 'variable'>) =>
  formSchema(FormDefinition.parse({ fields: [{ label: 'Field', variable: 'v', ...field }] }));

type Case = [type: FormFieldInput['type'], required: boolean, input: unknown, expected: unknown];
const list = { options: ['Small', 'Large'] };

describe('formSchema accepts', () => {
  it.each<Case>([
    ['text', true, '  hello ', 'hello'],
    ['text', false, '', undefined],
    ['text', false, '   ', undefined],
    ['text', false, null, undefined],
    ['text', false, undefined, undefined],
    ['list', true, 'Large', 'Large'],
    ['list', false, '', undefined],
    ['checkbox', true, true, true],
    ['checkbox', true, 'on', true],
    ['checkbox', false, false, false],
    ['checkbox', false, 'false', false],
    ['checkbox', false, undefined, undefined],
    ['number', true, 42, 42],
    ['number', true, ' 3.5 ', 3.5],
    ['number', true, '-7', -7],
    ['number', true, '0', 0],
    // Read as Ask a Question reads numbers (numbers.ts), whatever the agent's locale.
    ['number', true, '19,99', 19.99],
    ['number', true, '1,5', 1.5],
    ['number', true, '1.250,50', 1250.5],
    ['number', true, '1,250.50', 1250.5],
    ['number', true, '€19,99', 19.99],
    ['number', true, '1250', 1250],
    ['number', false, '', undefined],
    ['date', true, '2024-02-29', '2024-02-29'],
    ['time', true, '00:00', '00:00'],
    ['time', true, '23:59', '23:59'],
    ['phone', true, '+14155550123', '+14155550123'],
    ['phone', true, '+1 (415) 555-0123', '+14155550123'],
    ['phone', true, '+49 151 1234 5678', '+4915112345678'],
    ['phone', true, '0049 151 12345678', '+4915112345678'],
    ['phone', true, '00 34 600-111-222', '+34600111222'],
    ['phone', true, '+34 600.111.222', '+34600111222'],
    ['phone', true, '+44 (0)20 7946 0958', '+442079460958'],
    ['phone', true, '+1\u00a0415\u00a0555\u00a00123', '+14155550123'],
    ['phone', false, '  +1 415 555 0123  ', '+14155550123'],
    ['phone', false, '', undefined],
    ['url', true, 'https://shop.example.com/orders/1?x=1', 'https://shop.example.com/orders/1?x=1'],
    ['url', true, 'http://localhost:8080', 'http://localhost:8080'],
    ['url', false, '', undefined],
    ['email', true, 'ana@example.com', 'ana@example.com'],
    ['email', true, '  Ana.Garcia@Example.COM ', 'ana.garcia@example.com'],
    ['email', true, 'ana+orders@mail.example.co.uk', 'ana+orders@mail.example.co.uk'],
    ['email', false, '', undefined],
    ['email', false, '   ', undefined],
  ])('%s (required: %s) %j -> %j', (type, required, input, expected) => {
    const result = schemaFor({ type, required, ...(type === 'list' ? list : {}) }).safeParse({ v: input });
    expect(result.error).toBeUndefined();
    expect(result.data?.v).toEqual(expected);
  });
});

describe('formSchema rejects', () => {
  it.each<[...Case]>([
    ['text', true, '', REQUIRED_MESSAGE],
    ['text', true, '   ', REQUIRED_MESSAGE],
    ['text', true, undefined, REQUIRED_MESSAGE],
    ['text', true, null, REQUIRED_MESSAGE],
    ['text', false, 'x'.repeat(1001), 'Keep it under 1000 characters'],
    ['text', false, 12, 'Enter text'],
    ['list', true, 'Medium', 'Choose one of: Small, Large'],
    ['list', true, '', REQUIRED_MESSAGE],
    ['checkbox', true, false, 'Tick this box to continue'],
    ['checkbox', true, 'false', 'Tick this box to continue'],
    ['checkbox', true, undefined, REQUIRED_MESSAGE],
    ['checkbox', false, 'maybe', 'Tick or untick the box'],
    ['number', true, 'abc', 'Enter a number, e.g. 42 or 3.5'],
    ['number', true, '1e3', 'Enter a number, e.g. 42 or 3.5'],
    ['number', true, true, 'Enter a number, e.g. 42 or 3.5'],
    // 1250 or 1.25: asked again, with the hint Ask a Question gives a customer.
    ['number', true, '1,250', '"1,250" could be 1250 or 1.25: please write the number without a separator (1250) or with its decimals (1,250.00).'],
    ['number', false, ' 1.250 ', '"1.250" could be 1250 or 1,25: please write the number without a separator (1250) or with its decimals (1.250,00).'],
    ['number', true, Number.POSITIVE_INFINITY, 'Enter a number, e.g. 42 or 3.5'],
    ['number', true, Number.NaN, 'Enter a number, e.g. 42 or 3.5'],
    ['number', true, '', REQUIRED_MESSAGE],
    ['date', true, '2023-02-29', 'That date does not exist'],
    ['date', true, '2024-13-01', 'That date does not exist'],
    ['date', true, '31/03/2024', 'Enter a date as YYYY-MM-DD, e.g. 2026-03-31'],
    ['date', true, '2024-03-31T10:00', 'Enter a date as YYYY-MM-DD, e.g. 2026-03-31'],
    ['time', true, '24:00', 'Enter a time as HH:mm, between 00:00 and 23:59'],
    ['time', true, '9:30', 'Enter a time as HH:mm, between 00:00 and 23:59'],
    ['time', true, '12:60', 'Enter a time as HH:mm, between 00:00 and 23:59'],
    ['phone', true, '', REQUIRED_MESSAGE],
    ['phone', true, 4155550123, PHONE_MESSAGE],
    ['url', true, 'javascript:alert(1)', 'Enter a web address starting with http:// or https://'],
    ['url', true, 'ftp://example.com', 'Enter a web address starting with http:// or https://'],
    ['url', true, 'example.com', 'Enter a web address starting with http:// or https://'],
    ['email', true, '', REQUIRED_MESSAGE],
    ['email', true, 'ana@example', 'Enter a valid email address'],
    ['email', true, 'ana@@example.com', 'Enter a valid email address'],
    ['email', true, 'ana garcia@example.com', 'Enter a valid email address'],
    ['email', true, 'example.com', 'Enter a valid email address'],
    ['email', true, `${'a'.repeat(250)}@example.com`, 'An email address has at most 254 characters'],
    ['email', true, 42, EMAIL_MESSAGE],
    // Neither store holds NUL: said up front, not by the run that would write it.
    ['text', true, 'a\u0000b', NUL_MESSAGE],
    ['text', false, '\u0000', NUL_MESSAGE],
    ['url', true, 'https://example.com/\u0000', NUL_MESSAGE],
    ['list', true, 'Small\u0000', NUL_MESSAGE],
    ['email', true, 'ana\u0000@example.com', NUL_MESSAGE],
  ])('%s (required: %s) %j: %s', (type, required, input, message) => {
    const result = schemaFor({ type, required, ...(type === 'list' ? list : {}) }).safeParse({ v: input });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['v'], message })]);
  });
});

// A phone field says what the contacts API says of the same number (normalizePhone), never the
// general "Use international format" alone.
const NATIONAL = 'Start with + and the country code, e.g. +14155550123 or +49 151 1234 5678 (a national number such as 0151 1234 5678 does not say its country)';
const LETTERS = 'Use only digits after the + (spaces, dashes, dots and parentheses between them are fine), e.g. +1 415 555 0123';
const ZERO_CODE = 'The + is followed by the country code, which never starts with 0, e.g. +44 20 7946 0958';
const count = (n: number) => `An international number has 7 to 15 digits after the +, country code included (this one has ${n}), e.g. +14155550123`;

describe('formSchema phone fields', () => {
  it.each([
    ['0151 1234567', NATIONAL],
    ['4155550123', NATIONAL],
    ['555-0123', NATIONAL],
    ['+1 415 CALL NOW', LETTERS],
    ['+0155550123', ZERO_CODE],
    ['000 44 20 7946 0958', ZERO_CODE],
    ['+12345', count(5)],
    ['+1234567890123456', count(16)],
  ])('%j: %s', (input, message) => {
    const result = schemaFor({ type: 'phone', required: false }).safeParse({ v: input });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['v'], message })]);
    expect(normalizePhone(input)).toEqual({ ok: false, message });
  });

  it('refuses more than 40 characters as the contacts API does', () => {
    const result = schemaFor({ type: 'phone', required: false }).safeParse({ v: '+1 '.padEnd(41, '5') });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['v'], message: 'A phone number has at most 40 characters (15 digits)' })]);
  });
});

// An email field reads addresses as the contacts API does (common.ts Email): one schema, one message.
describe('formSchema email fields', () => {
  it.each(['  Ana@Example.com', 'not-an-email', 'ana@example'])('%j gives what the contacts API gives', (input) => {
    const form = schemaFor({ type: 'email', required: true }).safeParse({ v: input });
    const contact = Email.safeParse(input);
    expect(form.success).toBe(contact.success);
    if (contact.success) expect(form.data?.v).toBe(contact.data);
    else expect(form.error?.issues.map((i) => i.message)).toEqual(contact.error.issues.map((i) => i.message));
  });
});

describe('formSchema as a whole', () => {
  const form = FormDefinition.parse({
    fields: [
      { label: 'Order', type: 'text', variable: 'orderId', required: true },
      { label: 'Amount', type: 'number', variable: 'amount' },
    ],
  });

  it('reports a missing required key', () => {
    const result = formSchema(form).safeParse({});
    expect(result.error && formErrors(result.error)).toEqual({ orderId: REQUIRED_MESSAGE });
  });

  it('strips unknown keys and leaves optional ones undefined', () => {
    expect(formSchema(form).parse({ orderId: 'A1', hack: true })).toEqual({ orderId: 'A1' });
  });

  it('reports every field at once', () => {
    const result = formSchema(form).safeParse({ orderId: '', amount: 'ten' });
    expect(result.error && formErrors(result.error)).toEqual({
      orderId: REQUIRED_MESSAGE,
      amount: 'Enter a number, e.g. 42 or 3.5',
    });
  });

  it('accepts anything for an empty form', () => {
    expect(formSchema({ fields: [] }).parse({ a: 1 })).toEqual({});
  });
});
