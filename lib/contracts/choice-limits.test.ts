import { describe, expect, it } from 'vitest';
import { choicesMisfit, metaLength } from './choice-limits';

describe('characters as Meta counts them', () => {
  it.each([
    ['plain text', 'Monday morning', 14],
    ['an emoji', '👍', 1],
    ['an emoji with its skin tone', '👍🏽', 1],
    ['a family joined by ZWJ', '👨‍👩‍👧‍👦', 1],
    ['a flag', '🇵🇹', 1],
    ['a letter and its combining accent', 'e\u0301', 1],
    ['Hindi with a vowel sign', 'नमस्ते', 3],
  ])('%s', (_, text, n) => { expect(metaLength(text)).toBe(n); });

  it('names the limit and what is over it', () => {
    expect(choicesMisfit('whatsapp_buttons', ['a', 'b'])).toBeNull();
    expect(choicesMisfit('whatsapp_buttons', ['a', 'b', 'c', 'd'])).toBe('WhatsApp reply buttons hold at most 3 (this message has 4)');
    expect(choicesMisfit('whatsapp_list', ['Delivery to a pickup point'])).toBe('WhatsApp lists have titles of at most 24 characters ("Delivery to a pickup point" has 26)');
    expect(choicesMisfit('whatsapp_buttons', ['👍🏽'.repeat(20)])).toBeNull();
  });
});
