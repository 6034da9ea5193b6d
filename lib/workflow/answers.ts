import { normalizePhone } from '../contracts/common';
import type { StepConfig } from '../contracts/steps';

export type AnswerCheck = { ok: true; value: string | number } | { ok: false; reason: string };
type Ask = Pick<StepConfig<'ask_question'>, 'answerType' | 'choices'>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Pure: whether a reply answers the question, and the value to keep. Lenient where people are:
 * "1,5" is a number, "+34 600 11 22 33" and "0034600112233" are phones, a choice may be typed or
 * picked by its number, and a date may be 2026-12-24 or 24/12/2026 (day first).
 */
export function checkAnswer(ask: Ask, reply: string): AnswerCheck {
  const text = reply.trim();
  if (text === '') return { ok: false, reason: 'empty reply' };
  switch (ask.answerType) {
    case 'text':
      return { ok: true, value: text };
    case 'number': {
      if (!/^[-+]?\d+([.,]\d+)?$/.test(text)) return { ok: false, reason: 'not a number' };
      return { ok: true, value: Number(text.replace(',', '.')) };
    }
    case 'email':
      return EMAIL.test(text) ? { ok: true, value: text.toLowerCase() } : { ok: false, reason: 'not an email address' };
    case 'phone': {
      // Read as the contacts API and shortcut forms read numbers (one normalisation); the step's log keeps why not.
      const checked = normalizePhone(text);
      return checked.ok ? { ok: true, value: checked.phone } : { ok: false, reason: `not a phone number in international format: ${checked.message}` };
    }
    case 'date': {
      const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
      const dmy = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
      const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
      if (!y || !m || !d) return { ok: false, reason: 'not a date' };
      const value = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
      const parsed = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value) ? { ok: true, value } : { ok: false, reason: 'not a real date' };
    }
    case 'choice': {
      const byNumber = /^\d+$/.test(text) ? ask.choices[Number(text) - 1] : undefined;
      const byText = ask.choices.find((c) => c.toLowerCase() === text.toLowerCase());
      const choice = byText ?? byNumber;
      return choice ? { ok: true, value: choice } : { ok: false, reason: `not one of: ${ask.choices.join(', ')}` };
    }
  }
}

/**
 * The question as text: on a channel without interactive messages (the built-in inbox), buttons
 * and lists are shown as numbered choices the contact can answer by number or by name.
 */
export function questionText(ask: Pick<StepConfig<'ask_question'>, 'choices' | 'presentation'>, question: string): string {
  if (ask.choices.length === 0) return question;
  return `${question}\n${ask.choices.map((c, i) => `${i + 1}. ${c}`).join('\n')}`;
}
