import { Email, normalizePhone } from '../contracts/common';
import type { StepConfig } from '../contracts/steps';
import { dateFormatHint, dateOrderOf, readAnswerDate } from './answer-dates';
import { nationalReading } from './national-phone';
import { ambiguousNumberHint } from './number-hint';
import { readNumber } from './numbers';

/**
 * `reason` is for the step log; `hint`, when there is one, tells the customer how to write the
 * answer and goes with the question asked again.
 */
export type AnswerCheck = { ok: true; value: string | number } | { ok: false; reason: string; hint?: string };
type Ask = Pick<StepConfig<'ask_question'>, 'answerType' | 'choices'>;
/** What the workspace says about how its customers write: the default country orders dates and reads phone numbers without a country code. */
export type AnswerLocale = { country?: string | null };


/**
 * Pure: whether a reply answers the question, and the value to keep. Lenient where people are,
 * never guessing: numbers are read as Branch reads them (lib/workflow/numbers.ts: "1,250.00",
 * "1.250,00", "12,5", "€120"), and one that could be either ("1,250": 1250 or 1.25) is asked
 * again; "+34 600 11 22 33" and "0034600112233" are phones, and so is "06 12 34 56 78" with the
 * workspace in FR (read as the contacts API reads it); a choice may be typed or picked by its
 * number; a date is 2026-12-24, or day and month in the order of the workspace's default country
 * (lib/workflow/answer-dates.ts).
 */
export function checkAnswer(ask: Ask, reply: string, locale: AnswerLocale = {}): AnswerCheck {
  const text = reply.trim();
  if (text === '') return { ok: false, reason: 'empty reply' };
  switch (ask.answerType) {
    case 'text':
      return { ok: true, value: text };
    case 'number': {
      const reading = readNumber(text);
      if ('number' in reading) return { ok: true, value: reading.number };
      if (!reading.ambiguous) return { ok: false, reason: 'not a number' };
      return { ok: false, reason: `"${text}" ${reading.problem}`, hint: ambiguousNumberHint(text, reading.ambiguous) };
    }
    case 'email': {
      // The contract's own check: an answer saved to the email field must be one the API takes.
      const email = Email.safeParse(text);
      return email.success ? { ok: true, value: email.data } : { ok: false, reason: 'not an email address' };
    }
    case 'phone': {
      // Read as the contacts API and shortcut forms read numbers (one rule); the step's log keeps why not.
      const national = nationalReading(text, locale.country);
      if (national) return 'phone' in national ? { ok: true, value: national.phone } : { ok: false, reason: national.error };
      const checked = normalizePhone(text);
      return checked.ok ? { ok: true, value: checked.phone } : { ok: false, reason: `not a phone number in international format: ${checked.message}` };
    }
    case 'date': {
      const order = dateOrderOf(locale.country);
      const reading = readAnswerDate(text, order);
      return 'date' in reading ? { ok: true, value: reading.date } : { ok: false, reason: reading.problem, hint: dateFormatHint(order) };
    }
    case 'choice': {
      const byNumber = /^\d+$/.test(text) ? ask.choices[Number(text) - 1] : undefined;
      const byText = ask.choices.find((c) => c.toLowerCase() === text.toLowerCase());
      const choice = byText ?? byNumber;
      return choice ? { ok: true, value: choice } : { ok: false, reason: `not one of: ${ask.choices.join(', ')}` };
    }
  }
}

/** The re-ask's text: what to fix, when known, after the admin's retry message. */
export const withHint = (retry: string, hint: string | undefined) => (hint ? `${retry}\n${hint}` : retry);

/**
 * The question as text: on a channel without interactive messages (the built-in inbox), buttons
 * and lists are shown as numbered choices the contact can answer by number or by name.
 */
export function questionText(ask: Pick<StepConfig<'ask_question'>, 'choices' | 'presentation'>, question: string): string {
  if (ask.choices.length === 0) return question;
  return `${question}\n${ask.choices.map((c, i) => `${i + 1}. ${c}`).join('\n')}`;
}
