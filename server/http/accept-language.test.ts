import { describe, expect, it } from 'vitest';
import { requestLocales } from './accept-language';

describe('requestLocales', () => {
  it.each<[string, string | string[] | undefined, string[]]>([
    ['none', undefined, []],
    ['Chromium\'s', 'sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7', ['sv-SE', 'sv', 'en-US', 'en']],
    ['out of order', 'en;q=0.5, de', ['de', 'en']],
    ['any language and refused ones left out', '*, fr;q=0, es', ['es']],
    ['a header sent twice', ['da', 'nb;q=0.5'], ['da', 'nb']],
  ])('%s', (_what, header, want) => {
    expect(requestLocales(header)).toEqual(want);
  });
});
