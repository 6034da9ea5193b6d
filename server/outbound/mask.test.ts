import { describe, expect, it } from 'vitest';
import { masked } from './mask';

const SECRET = 'sk_live_AbC/dEf+12"é<';

describe('masked', () => {
  it.each<[string, string]>([
    ['as sent', `key ${SECRET} end`],
    ['JSON-escaped (JavaScript)', `{"k":${JSON.stringify(SECRET)}}`],
    ['JSON-escaped as PHP writes it (\\/ and \\u00e9)', '{"k":"sk_live_AbC\\/dEf+12\\"\\u00e9<"}'],
    ['JSON-escaped as Go writes it (\\u003c)', '{"k":"sk_live_AbC/dEf+12\\"é\\u003c"}'],
    ['uppercase \\u escapes', '{"k":"sk_live_AbC\\u002FdEf+12\\u0022\\u00E9\\u003C"}'],
    ['a JSON string inside a JSON string', JSON.stringify({ you_sent: JSON.stringify({ k: SECRET }).replace(/\//g, '\\/') })],
    ['percent-encoded', `?k=${encodeURIComponent(SECRET)}&page=2`],
    ['percent-encoded, lowercase hex', `?k=${encodeURIComponent(SECRET).toLowerCase().replace('sk_live_abc', 'sk_live_AbC').replace('def', 'dEf')}`],
    ['HTML-escaped', '<td>sk_live_AbC&#x2F;dEf+12&quot;&eacute;&lt;</td>'.replace('&eacute;', 'é')],
  ])('%s', (_, text) => {
    const shown = masked(text, [SECRET]);
    expect(shown).toContain('[redacted]');
    for (const part of ['AbC', 'dEf+12']) expect(shown).not.toContain(part);
  });

  it('keeps the rest of the answer as written', () => {
    expect(masked('{"error":"bad key","key":"sk_live_AbC\\/dEf+12\\"\\u00e9<","hint":"a\\/b"}', [SECRET]))
      .toBe('{"error":"bad key","key":"[redacted]","hint":"a\\/b"}');
  });

  it('masks overlapping finds as one', () => {
    expect(masked('Authorization: Bearer tok_0123456789', ['Bearer tok_0123456789', 'tok_0123456789'])).toBe('Authorization: [redacted]');
  });

  // A 1 MiB answer that repeats a value the request sent (a password echoed in every row of a
  // listing) threw "Maximum call stack size exceeded" instead of being masked.
  it('masks a value repeated 130,000 times', () => {
    const shown = masked(`${'hunter22;'.repeat(130_000)}end`, ['hunter22']);
    expect(shown).toBe(`${'[redacted];'.repeat(130_000)}end`);
  });

  it('leaves short values, which would mask words', () => {
    expect(masked('the key abc is wrong', ['abc'])).toBe('the key abc is wrong');
  });
});
