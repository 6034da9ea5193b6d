import { describe, expect, it } from 'vitest';
import { isWordLike, wholeWordsMasked } from './whole-words';

describe('isWordLike: which secrets are masked only as words of their own', () => {
  it.each([
    ['demo', true], ['4321', true], ['support', true], ['welcomeeverybody', true],
    ['Zq8LmN4pR7sT2vW9', false], ['EAAGwaToken1234WXYZ', false], ['p@ss!', false], ['whsec_abc', false],
  ])('%s → %s', (secret, wordLike) => {
    expect(isWordLike(secret)).toBe(wordLike);
  });
});

describe('wholeWordsMasked', () => {
  it.each([
    ['alone', 'key demo refused', 'key [redacted] refused'],
    ['at both ends', 'demo', '[redacted]'],
    ['inside a word', 'the demonstration account', 'the demonstration account'],
    ['inside a number', 'order 43210', 'order 43210'],
    ['in JSON', '{"pin":"4321"}', '{"pin":"[redacted]"}'],
    ['after a percent escape', 'q=%3Ddemo&x=1', 'q=%3D[redacted]&x=1'],
    ['after a JSON escape', 'line\\ndemo\\t4321', 'line\\n[redacted]\\t[redacted]'],
    ['next to each other', 'demo4321 demo-4321', 'demo4321 [redacted]-[redacted]'],
  ])('%s', (_name, text, shown) => {
    expect(wholeWordsMasked(text, ['demo', '4321'])).toBe(shown);
  });
});
