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

  // Only the first 64 KiB is masked: a secret across that cut kept its first characters, and an
  // answer padded with whitespace (an HTML page's indentation) brought them into view.
  it.each<[string, string]>([
    ['as sent', 'sk_live_abcdefgh1234'],
    ['JSON-escaped', JSON.stringify('sk_live_abcdefgh1234').slice(1, -1).replace(/_/g, '\u005f')],
  ])('a secret across the end of what is masked (%s): no part of it shown', (_, written) => {
    for (const before of [65536 - 6, 65536 - 12, 65536 - 40]) {
      const shown = excerpt(`${' '.repeat(before)}${written} after`, 200, ['sk_live_abcdefgh1234']);
      expect(shown, `at ${before}`).not.toMatch(/sk_|live|u005f/);
    }
  });

  it('a long answer to a request that carried a very long value (an 8 KB cookie) still shows its start, and masks the value', () => {
    const cookie = `session=${'c'.repeat(8000)}`;
    const page = `<h1>Not found</h1>${' '.repeat(70_000)}${cookie}`;
    expect(excerpt(page, 30, [cookie])).toBe('<h1>Not found</h1> [redacted]');
    expect(excerpt(`<h1>Not found</h1>${'<p>x</p>'.repeat(10_000)}`, 30, [cookie])).toBe('<h1>Not found</h1><p>x</p><p>x…');
  });

  // An Azure AD token carrying its groups runs past 10,000 characters: the excerpt of a long 404
  // page answered to it was "(empty body)", as if the other side had said nothing.
  it.each([11_000, 40_000])('a long answer to a request that carried a %i-character token still shows its start, and masks the token', (length) => {
    const jwt = `eyJ${'a'.repeat(length)}`;
    const page = `<h1>Not found</h1>${'<p>x</p>'.repeat(30_000)}`;
    expect(excerpt(page, 30, [`Bearer ${jwt}`, jwt])).toBe('<h1>Not found</h1><p>x</p><p>x…');
    const echoed = `<h1>Not found</h1>${' '.repeat(30_000)}Bearer ${jwt}${'<p>x</p>'.repeat(30_000)}`;
    expect(excerpt(echoed, 40, [`Bearer ${jwt}`, jwt])).toBe('<h1>Not found</h1> [redacted]<p>x</p><p>…');
  });

  it('a long answer sent with a long token (a JWT) still shows its start', () => {
    const jwt = `eyJ${'a'.repeat(1200)}`;
    expect(excerpt(`<h1>Not found</h1>${'<p>x</p>'.repeat(10_000)}`, 30, [`Bearer ${jwt}`, jwt])).toBe('<h1>Not found</h1><p>x</p><p>x…');
  });
});
