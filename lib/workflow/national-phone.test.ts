import { describe, expect, it } from 'vitest';
import { matchablePhone } from './national-phone';

describe('matchablePhone', () => {
  it.each([
    ['0151 10000000', 'DE', { phone: '+4915110000000' }],
    // Excel drops a leading 0, and the "+" of an international number it reads as a number.
    ['15110000000', 'DE', { phone: '+4915110000000' }],
    ['4915110000000', 'DE', { phone: '+4915110000000' }],
    ['49 151 10000000', 'DE', { phone: '+4915110000000' }],
    ['+34 600 111 222', 'DE', { phone: '+34600111222' }],
    ['14155550123', 'US', { phone: '+14155550123' }],
    ['(415) 555-0123', 'US', { phone: '+14155550123' }],
    ['0151', 'DE', { error: expect.stringMatching(/not a valid DE number either/) }],
    ['0151 10000000', null, { error: expect.stringMatching(/need the workspace's default country/) }],
  ] as const)('%s in %s', (raw, country, read) => {
    expect(matchablePhone(raw, country)).toEqual(read);
  });
});
