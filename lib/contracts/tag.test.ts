import { describe, expect, it } from 'vitest';
import { hiding, tagCharacterProblem, withoutInvisible } from './tag';

// The tag check and Chatwoot labels' cleaning settle most strings in one test and walk only the
// rest; these tables hold them to the walk's answers, which is what users saw before the shortcut.
const walked = (tag: string) => {
  const chars = hiding(tag);
  const hidden = chars.filter((x) => x.hides);
  const dropped = [...new Set(hidden.map((x) => `U+${x.c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))];
  return { tag: dropped.length ? chars.filter((x) => !x.hides).map((x) => x.c).join('') : tag, dropped, first: dropped[0] };
};

const cases: [string, string][] = [
  ['plain', 'vip'],
  ['empty', ''],
  ['digits and marks', 'lead_2024-Q1'],
  ['fullwidth', 'ＶＩＰ'],
  ['combining mark', 'cafe\u0301'],
  ['CJK', '重要客户'],
  ['Hebrew', 'לקוח'],
  ['Arabic', 'عميل مهم'],
  ['emoji alone', '🔥'],
  ['emoji with presentation selector', '❤️'],
  ['emoji with skin tone', '👍🏽'],
  ['emoji ZWJ: technologist', '👩🏽‍💻'],
  ['emoji ZWJ: family', '👨‍👩‍👧‍👦'],
  ['emoji ZWJ: heart on fire', '❤️‍🔥'],
  ['emoji ZWJ inside a word', 'vip 🧑‍🚀 team'],
  ['subdivision flag (tag characters)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
  ['Persian ZWNJ', 'می\u200cخواهم'],
  ['Persian ZWNJ twice', 'نمی\u200cخواهم\u200cشان'],
  ['Devanagari ZWJ', 'क्\u200dष'],
  ['ZWJ between Latin letters', 'v\u200dip'],
  ['ZWNJ between Latin letters', 'v\u200cip'],
  ['ZWJ at the end of an emoji', '👍\u200d'],
  ['ZWJ at the start', '\u200d👍'],
  ['ZWNJ beside a space', 'می \u200cخواهم'],
  ['ZWJ alone', '\u200d'],
  ['right-to-left override', 'vip\u202egnp.exe'],
  ['left-to-right override', '\u202dvip'],
  ['bidi embedding and pop', '\u202bvip\u202c'],
  ['bidi isolates', '\u2067عميل\u2069'],
  ['right-to-left mark', 'vip\u200f'],
  ['Arabic letter mark', '\u061cعميل'],
  ['zero-width space', '\u200bvip'],
  ['word joiner', 'v\u2060ip'],
  ['byte order mark', '\ufeffvip'],
  ['soft hyphen', 'vi\u00adp'],
  ['BEL', 'vip\u0007'],
  ['tab', 'v\tip'],
  ['newline', 'vip\n'],
  ['stray tag character', 'vip\u{E0001}'],
  ['invisible joiner twice', 'v\u200bi\u200bp'],
  ['override inside an emoji sequence', '👩\u202e‍💻'],
];

describe('the one-test shortcut gives the full walk\'s answers', () => {
  it.each(cases)('%s', (_name, input) => {
    const full = walked(input);
    expect(withoutInvisible(input)).toEqual({ tag: full.tag, dropped: full.dropped });
    const problem = tagCharacterProblem(input);
    if (full.first === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(`holds ${full.first} (`);
  });

  it('for every string of up to three characters from joiners, overrides, flags, emoji and letters', () => {
    const alphabet = ['a', 'ш', 'م', 'क', '👩', '💻', '🏴', '\u{E0067}', '\u{E007F}', '\uFE0F', ' ', '\u200d', '\u200c', '\u202e', '\u200b', '\u0007'];
    const strings = [''];
    for (let len = 0; len < 3; len++) for (const s of strings.filter((x) => [...x].length === len)) for (const c of alphabet) strings.push(s + c);
    for (const input of strings) {
      const full = walked(input);
      expect(withoutInvisible(input), JSON.stringify(input)).toEqual({ tag: full.tag, dropped: full.dropped });
      expect(tagCharacterProblem(input) === undefined, JSON.stringify(input)).toBe(full.first === undefined);
    }
  });

  it('keeps what a tag shows: joiners inside emoji and Persian words, flag tag characters', () => {
    expect(withoutInvisible('👩🏽‍💻')).toEqual({ tag: '👩🏽‍💻', dropped: [] });
    expect(withoutInvisible('می\u200cخواهم')).toEqual({ tag: 'می\u200cخواهم', dropped: [] });
    expect(withoutInvisible('🏴󠁧󠁢󠁳󠁣󠁴󠁿')).toEqual({ tag: '🏴󠁧󠁢󠁳󠁣󠁴󠁿', dropped: [] });
    expect(withoutInvisible('vip\u202egnp.exe')).toEqual({ tag: 'vipgnp.exe', dropped: ['U+202E'] });
    expect(withoutInvisible('v\u200dip')).toEqual({ tag: 'vip', dropped: ['U+200D'] });
  });
});
