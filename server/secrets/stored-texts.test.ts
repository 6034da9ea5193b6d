import { describe, expect, it } from 'vitest';
import { shownWith } from './stored-texts';

// Stored errors masked as they are shown: the workspace's own secrets however an answer escaped
// them, found by a scan that must not let one through, and credentials known by their shape.

const URL_TOKEN = 'oWzCoBLpgrJlWYsCWIx_Do32hmOqHq3RiKuiQXrCPxc';
const SIGNING_KEY = '+iVQe6bR/CdSfajT/ilUf6rVACtWgazX';
const ALL_SYMBOLS = '!!//++==';
const LETTERS = 'Zq8LmN4pR7sT2vW9';
const show = shownWith([URL_TOKEN, SIGNING_KEY, ALL_SYMBOLS, LETTERS]);

describe('shownWith', () => {
  it.each([
    ['as written', `upstream ${URL_TOKEN} refused`, 'upstream [redacted] refused'],
    ['glued to letters', `abc${LETTERS}xyz`, 'abc[redacted]xyz'],
    ['JSON-escaped slashes', `{"k":"${SIGNING_KEY.replace(/\//g, '\\/')}"}`, '{"k":"[redacted]"}'],
    ['percent-encoded', `?secret=${encodeURIComponent(SIGNING_KEY)}&a=1`, '?secret=[redacted]&a=1'],
    ['HTML entities', `<p>${SIGNING_KEY.replace(/\//g, '&#x2F;')}</p>`, '<p>[redacted]</p>'],
    ['a secret without letters, escaped', `got ${encodeURIComponent(ALL_SYMBOLS)}`, 'got [redacted]'],
    ['a Meta token by its shape', 'Malformed access token EAAGm0PX4ZCpsBAstored1234 (190)', 'Malformed access token [redacted] (190)'],
    ['an issued key', `key ica_${'a'.repeat(43)} refused`, 'key [redacted] refused'],
    ['nothing secret', 'Error validating access token: Session has expired', 'Error validating access token: Session has expired'],
    ['a secret\'s start only', `${URL_TOKEN.slice(0, 12)} and more`, `${URL_TOKEN.slice(0, 12)} and more`],
  ])('%s', (_name, text, shown) => {
    expect(show(text)).toBe(shown);
  });

  it('finds a secret anywhere in a long text of letters', () => {
    const text = `${'y'.repeat(5000)}${URL_TOKEN}${'y'.repeat(5000)}`;
    expect(show(text)).toBe(`${'y'.repeat(5000)}[redacted]${'y'.repeat(5000)}`);
  });
});
