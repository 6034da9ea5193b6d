import { describe, expect, it } from 'vitest';
import { questionSpec } from './ask-delivery';

// A question is never cut to fit Meta's interactive body (reply buttons 1,024 characters, a list
// 4,096): it goes in the next shape that holds it whole, and the step's log says why.
describe('questionSpec with a long question', () => {
  const choices = ['Grey', 'Blue'];
  const long = (n: number) => 'q'.repeat(n);
  it.each([
    ['buttons, 1,024 characters', 'buttons', 1024, 'buttons', undefined],
    ['buttons, 1,025 characters', 'buttons', 1025, 'list', 'WhatsApp reply buttons hold a question of at most 1,024 characters (this one has 1,025): it was sent as a list message'],
    ['buttons, 4,097 characters', 'buttons', 4097, 'text', 'WhatsApp reply buttons hold a question of at most 1,024 characters (this one has 4,097): it was sent as text with the choices numbered'],
    ['a list, 4,096 characters', 'list', 4096, 'list', undefined],
    ['a list, 4,097 characters', 'list', 4097, 'text', 'WhatsApp lists hold a question of at most 4,096 characters (this one has 4,097): it was sent as text with the choices numbered'],
  ] as const)('WhatsApp %s', (_name, presentation, length, kind, note) => {
    const made = questionSpec('whatsapp', { choices, presentation }, long(length), 'run_1');
    expect(made.spec.kind).toBe(kind);
    expect(made.note).toBe(note);
    // Whole: the body, or the numbered text that starts with it.
    expect(made.spec.text.startsWith(long(length))).toBe(true);
    if (kind === 'text') expect(made.spec.text).toBe(`${long(length)}\n1. Grey\n2. Blue`);
  });

  it('Messenger quick replies keep a long question as it is (its text limit is the message\'s, checked before the send)', () => {
    const made = questionSpec('messenger', { choices, presentation: 'buttons' }, long(1500), 'run_1');
    expect(made.spec.kind).toBe('buttons');
    expect(made.note).toBeUndefined();
  });
});
