import { describe, expect, it } from 'vitest';
import { excerpt } from './excerpt';

describe('excerpt', () => {
  it.each<[string, string, string[], string]>([
    ['a short body as it is', '{"error":"Content is required"}', [], '{"error":"Content is required"}'],
    ['on one line', 'line one\n\n  line two ', [], 'line one line two'],
    ['an empty body said so', '  \n', [], '(empty body)'],
    ['a long body cut', 'x'.repeat(250), [], `${'x'.repeat(200)}…`],
    ['a value the request sent, masked', 'bad token sk_live_abcdefgh1234 for you', ['sk_live_abcdefgh1234'], 'bad token [redacted] for you'],
    ['the longest value first', 'Authorization: Bearer sk_live_abcdefgh1234', ['sk_live_abcdefgh1234', 'Bearer sk_live_abcdefgh1234'], 'Authorization: [redacted]'],
    ['short values left (they would mask words)', 'the key abc is wrong', ['abc'], 'the key abc is wrong'],
    ['the companion\'s own keys and tokens, whoever sent them', `{"apiKey":"ica_${'A'.repeat(43)}","t":"ict_${'b-_'.repeat(14)}c"}`, [], '{"apiKey":"[redacted]","t":"[redacted]"}'],
    ['a secret across the cut: masked before cutting', `${'x'.repeat(195)}sk_live_abcdefgh1234`, ['sk_live_abcdefgh1234'], `${'x'.repeat(195)}[reda…`],
  ])('%s', (_, text, hide, expected) => {
    expect(excerpt(text, 200, hide)).toBe(expected);
  });
});
