import { z } from 'zod';

// A tag is matched by what it says: a trigger on "vip" must fire for the tag that reads "vip".
// Invisible characters broke that: "\u200bvip" looks like "vip" and matches nothing, a
// right-to-left override shows "vip\u202egnp.exe" as "vipexe.png". Unicode's control (Cc) and
// format (Cf) characters (bidi overrides, zero-width spaces, the soft hyphen, BOM, BEL…) are
// refused in a tag, joiners too unless inside an emoji or a word (below); NFKC folds compatibility forms first, so the fullwidth "ＶＩＰ" is
// the tag "VIP" (and "vip", tags being one whatever their case).

const INVISIBLE_ALL = /[\p{Cc}\p{Cf}]/gu;

// Format characters that are part of what a tag says, not hidden in it: a joiner inside an emoji
// sequence (👩🏽‍💻) or between letters of a script that needs it (ZWNJ in Persian), and the tag
// characters of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿). At an edge, beside a space or alone, a joiner only hides.
const EMOJI_PART = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
// Scripts whose words need joiners (Arabic, Persian, Indic…); in Latin, Greek or Cyrillic a joiner
// shows nothing, so "v\u200dip" would pass for "vip".
const JOINING_LETTER = /(?![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])[\p{L}\p{M}]/u;
const joins = (a: string, b: string) => (EMOJI_PART.test(a) && EMOJI_PART.test(b)) || (JOINING_LETTER.test(a) && JOINING_LETTER.test(b));
const FLAG_TAGS = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

// Nearly every tag holds no control or format character: one test then settles it, not the walk
// below (an array and an object per character), which a workflow's tag step pays per tag per run
// and a Chatwoot delivery per label.
const ANY_INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/**
 * The tag's characters, each with whether it hides (leaving out those that belong to what it
 * shows). Exported for tests: the one-test shortcut must give the walk's answers.
 */
export function hiding(tag: string): { c: string; hides: boolean }[] {
  const chars = [...tag];
  const flagParts = new Set<number>();
  for (const m of tag.matchAll(FLAG_TAGS)) {
    const start = [...tag.slice(0, m.index)].length;
    for (let k = 1; k < [...m[0]].length; k++) flagParts.add(start + k);
  }
  return chars.map((c, i) => {
    if (!ANY_INVISIBLE.test(c) || flagParts.has(i)) return { c, hides: false };
    if (c !== '\u200d' && c !== '\u200c') return { c, hides: true };
    const before = chars[i - 1], after = chars[i + 1];
    return { c, hides: !(before && after && joins(before, after)) };
  });
}

const firstInvisible = (tag: string) => (ANY_INVISIBLE.test(tag) ? hiding(tag).find((x) => x.hides)?.c : undefined);

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function kindOf(c: string): string {
  const n = c.codePointAt(0)!;
  if ((n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069) || n === 0x200e || n === 0x200f || n === 0x061c) return 'a text-direction mark';
  if ((n >= 0x200b && n <= 0x200d) || n === 0x2060 || n === 0xfeff) return 'a zero-width character';
  if (n === 0xad) return 'a soft hyphen';
  return /\p{Cc}/u.test(c) ? 'a control character' : 'an invisible formatting character';
}

/** The tag as a message shows it: each invisible character as `<U+200B>`. */
export const shownTag = (tag: string) => tag.replace(INVISIBLE_ALL, (c) => `<${codePoint(c)}>`);

/** Why the tag is refused for the characters it holds, or undefined. */
export function tagCharacterProblem(tag: string): string | undefined {
  const c = firstInvisible(tag);
  if (c === undefined) return undefined;
  return `The tag "${shownTag(tag)}" holds ${codePoint(c)} (${kindOf(c)}): a tag may not hold invisible control or formatting characters, which make it look like another tag; remove it`;
}

/** A tag from elsewhere (a Chatwoot label) without its invisible characters, and which were dropped. */
export function withoutInvisible(tag: string): { tag: string; dropped: string[] } {
  if (!ANY_INVISIBLE.test(tag)) return { tag, dropped: [] };
  const chars = hiding(tag);
  const dropped = [...new Set(chars.filter((x) => x.hides).map((x) => codePoint(x.c)))];
  return { tag: dropped.length ? chars.filter((x) => !x.hides).map((x) => x.c).join('') : tag, dropped };
}

export const Tag = z.string().trim().overwrite((s) => s.normalize('NFKC'))
  .min(1, 'A tag cannot be empty').max(64, 'A tag has at most 64 characters')
  .superRefine((tag, ctx) => {
    const problem = tagCharacterProblem(tag);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
