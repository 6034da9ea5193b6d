import { describe, expect, it } from 'vitest';
import { ANSWER_TYPES } from '../contracts/steps';
import { MONTH_FIRST_COUNTRIES } from './answer-dates';
import { checkAnswer, questionText, withHint } from './answers';

const choices = ['Small', 'Medium', 'Large'];

describe('checkAnswer', () => {
  it.each<[(typeof ANSWER_TYPES)[number], string, string | number | null]>([
    ['text', '  hello there ', 'hello there'],
    ['text', '   ', null],
    ['number', '42', 42],
    ['number', '-1,5', -1.5],
    ['number', '12 apples', null],
    // Read as Branch reads amounts (lib/workflow/numbers.ts): "1,250" used to be 1.25, "1,250.00" refused.
    ['number', '1,250.00', 1250],
    ['number', '1.250,00', 1250],
    ['number', '$1,250.99', 1250.99],
    ['number', '1 250', 1250],
    ['number', '12,5', 12.5],
    ['number', '1,250', null],
    ['email', 'Ana@Example.COM', 'ana@example.com'],
    ['email', 'ana@example', null],
    // As the contacts API reads them (the Email contract): what it would refuse to save is no answer.
    ['email', 'ana@example..com', null],
    ['email', 'ana@-example.com', null],
    ['email', `${'a'.repeat(250)}@example.com`, null],
    ['email', '  ana@example.com ', 'ana@example.com'],
    ['phone', '+34 600 11-22-33', '+34600112233'],
    ['phone', '0034600112233', '+34600112233'],
    ['phone', '600112233', null],
    // As the contacts API reads them (normalizePhone): a national "(0)", non-breaking spaces.
    ['phone', '+44 (0)20 7946 0958', '+442079460958'],
    ['phone', '+49\u00a0151\u00a01234\u00a05678', '+4915112345678'],
    ['phone', '+0 44 20', null],
    ['date', '2026-12-24', '2026-12-24'],
    ['date', '24/12/2026', '2026-12-24'],
    ['date', '2026-02-30', null],
    ['date', 'tomorrow', null],
    ['choice', 'medium', 'Medium'],
    ['choice', '3', 'Large'],
    ['choice', '4', null],
    ['choice', 'XL', null],
  ])('%s: %j → %j', (answerType, reply, value) => {
    const result = checkAnswer({ answerType, choices }, reply);
    if (value === null) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, value });
  });
});

describe('checkAnswer: numbers that could be two', () => {
  it.each([
    ['1,250', '"1,250" could be 1250 or 1.25: please write the number without a separator (1250) or with its decimals (1,250.00).'],
    ['€1.250', '"€1.250" could be 1250 or 1,25: please write the number without a separator (1250) or with its decimals (1.250,00).'],
  ])('%j is asked again, saying how to write it', (reply, hint) => {
    expect(checkAnswer({ answerType: 'number', choices: [] }, reply)).toEqual({ ok: false, reason: expect.stringContaining('could be 1250 or 1.25'), hint });
  });

  it('a reply that is no number at all has no hint beyond the retry message', () => {
    expect(checkAnswer({ answerType: 'number', choices: [] }, 'soon')).toEqual({ ok: false, reason: 'not a number' });
  });
});

describe('checkAnswer: dates in the order of the workspace\'s default country', () => {
  const date = (reply: string, country: string | null) => checkAnswer({ answerType: 'date', choices: [] }, reply, { country });
  it.each<[string, string | null, string | null]>([
    // Month first in the US (and the places listed in MONTH_FIRST_COUNTRIES).
    ['03/04/2026', 'US', '2026-03-04'],
    ['12/24/2026', 'US', '2026-12-24'],
    ['3/4/2026', 'us', '2026-03-04'],
    ['12-24-2026', 'PH', '2026-12-24'],
    ['24/12/2026', 'US', null],
    ['02/30/2026', 'US', null],
    // Day first elsewhere, and when no country is set.
    ['03/04/2026', 'ES', '2026-04-03'],
    ['03/04/2026', 'CA', '2026-04-03'],
    ['24.12.2026', 'DE', '2026-12-24'],
    ['03/04/2026', null, '2026-04-03'],
    ['12/24/2026', null, null],
    ['31/04/2026', 'GB', null],
    // ISO everywhere.
    ['2026-03-04', 'US', '2026-03-04'],
    ['2026-03-04', 'ES', '2026-03-04'],
    ['2026-02-29', 'US', null],
    ['03/04/26', 'US', null],
  ])('%j with %s → %j', (reply, country, value) => {
    const result = date(reply, country);
    if (value === null) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, value });
  });

  it('an impossible date is asked again with the format the country writes', () => {
    expect(date('24/12/2026', 'US')).toEqual({
      ok: false, reason: 'not a real date (read month-first: month 24, day 12)',
      hint: 'Please write the date as MM/DD/YYYY (e.g. 12/24/2026) or YYYY-MM-DD (2026-12-24).',
    });
    expect(date('12/24/2026', 'FR')).toMatchObject({ ok: false, hint: 'Please write the date as DD/MM/YYYY (e.g. 24/12/2026) or YYYY-MM-DD (2026-12-24).' });
    expect(MONTH_FIRST_COUNTRIES).toContain('US');
  });
});

describe('checkAnswer: phone numbers without a country code, in the workspace\'s default country', () => {
  const phone = (reply: string, country: string | null) => checkAnswer({ answerType: 'phone', choices: [] }, reply, { country });
  it.each<[string, string | null, string | null]>([
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['(11) 91234-5678', 'BR', '+5511912345678'],
    ['+34 600 11 22 33', 'FR', '+34600112233'],
    ['06 12 34 56 78', null, null],
    ['06 12', 'FR', null],
  ])('%j with %s → %j', (reply, country, value) => {
    const result = phone(reply, country);
    if (value === null) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, value });
  });

  it('one that is no number of that country either says which country was assumed', () => {
    expect(phone('06 12', 'FR')).toEqual({ ok: false, reason: expect.stringMatching(/^"06 12" is not a phone number: .*not a valid FR number either \(the workspace's default country\)$/) });
  });
});

describe('withHint', () => {
  it('adds what to fix after the retry message, when known', () => {
    expect(withHint('Sorry. Your total?', 'Write 1250.')).toBe('Sorry. Your total?\nWrite 1250.');
    expect(withHint('Sorry. Your total?', undefined)).toBe('Sorry. Your total?');
  });
});

describe('questionText', () => {
  it('lists choices by number when there are any', () => {
    expect(questionText({ choices, presentation: 'buttons' }, 'Which size?')).toBe('Which size?\n1. Small\n2. Medium\n3. Large');
    expect(questionText({ choices: [], presentation: 'text' }, 'Your name?')).toBe('Your name?');
  });
});
