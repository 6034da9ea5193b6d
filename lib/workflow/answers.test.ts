import { describe, expect, it } from 'vitest';
import { ANSWER_TYPES } from '../contracts/steps';
import { checkAnswer, questionText } from './answers';

const choices = ['Small', 'Medium', 'Large'];

describe('checkAnswer', () => {
  it.each<[(typeof ANSWER_TYPES)[number], string, string | number | null]>([
    ['text', '  hello there ', 'hello there'],
    ['text', '   ', null],
    ['number', '42', 42],
    ['number', '-1,5', -1.5],
    ['number', '12 apples', null],
    ['email', 'Ana@Example.COM', 'ana@example.com'],
    ['email', 'ana@example', null],
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

describe('questionText', () => {
  it('lists choices by number when there are any', () => {
    expect(questionText({ choices, presentation: 'buttons' }, 'Which size?')).toBe('Which size?\n1. Small\n2. Medium\n3. Large');
    expect(questionText({ choices: [], presentation: 'text' }, 'Your name?')).toBe('Your name?');
  });
});
