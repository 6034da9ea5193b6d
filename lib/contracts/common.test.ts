import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ContactRef } from './apps';
import { E164, normalizePhone } from './common';
import { ContactCreateBody, ContactPatchBody } from './contacts';

describe('E164 (phone numbers in the API)', () => {
  it.each([
    ['+14155550123', '+14155550123'],
    ['+1 415 555 0123', '+14155550123'],
    ['+1 (415) 555-0123', '+14155550123'],
    ['+49 151 1234 5678', '+4915112345678'],
    ['+34 600-111-222', '+34600111222'],
    ['+34 600.111.222', '+34600111222'],
    ['  +34 600 111 222  ', '+34600111222'],
    ['+33\u00a06\u00a012\u00a034\u00a056\u00a078', '+33612345678'], // no-break spaces (copied from a web page)
    ['+44 (0)20 7946 0958', '+442079460958'], // the national "(0)" is not dialled from abroad
    ['0049 151 12345678', '+4915112345678'], // 00: the international prefix
  ])('accepts %j as %j', (raw, stored) => {
    expect(E164.parse(raw)).toBe(stored);
  });

  it.each([
    ['4155550123', /Start with \+ and the country code/],
    ['0151 1234 5678', /Start with \+ and the country code/],
    ['(415) 555-0123', /Start with \+ and the country code/],
    ['+1 415 555 0123 ext 12', /Use only digits after the \+/],
    ['+1 415 CALL NOW', /Use only digits after the \+/],
    ['+0 20 7946 0958', /country code, which never starts with 0/],
    ['+1 234', /7 to 15 digits.*this one has 4/],
    ['+1 234 567 890 123 456', /7 to 15 digits.*this one has 16/],
    ['   ', /Enter a phone number/],
    ['+1'.padEnd(41, '1'), /at most 40 characters/],
  ])('refuses %j saying what to fix', (raw, message) => {
    const result = E164.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error!.issues).toHaveLength(1);
    expect(result.error!.issues[0]!.message).toMatch(message);
  });

  it('keeps string in and string out, and null / undefined where the contracts allow them', () => {
    const input: z.input<typeof E164> = '+1 415 555 0123';
    const output: z.output<typeof E164> = E164.parse(input);
    expect(output).toBe('+14155550123');
    expect(ContactCreateBody.parse({ firstName: 'A', phone: '+1 415 555 0123' }).phone).toBe('+14155550123');
    expect(ContactCreateBody.parse({ firstName: 'A' }).phone).toBeUndefined();
    expect(ContactPatchBody.parse({ phone: null }).phone).toBeNull();
    expect(ContactPatchBody.parse({ phone: '+49 (151) 1234-5678' }).phone).toBe('+4915112345678');
  });

  it('identifies an app trigger\'s contact by a phone written with spaces', () => {
    expect(ContactRef.parse({ phone: '+1 415 555 0123' })).toEqual({ phone: '+14155550123' });
    expect(ContactRef.safeParse({ phone: '415 555 0123' }).success).toBe(false);
  });

  it('shows a string in the JSON Schema of request bodies (OpenAPI)', () => {
    expect(z.toJSONSchema(E164, { io: 'input' })).toMatchObject({ type: 'string', maxLength: 40 });
  });

  it('normalizePhone gives the same answer as the schema, for callers without zod', () => {
    expect(normalizePhone('+1 (415) 555-0123')).toEqual({ ok: true, phone: '+14155550123' });
    expect(normalizePhone('4155550123')).toMatchObject({ ok: false, message: expect.stringMatching(/country code/) });
  });
});
