import { z } from 'zod';

// A tag is matched by what it says: a trigger on "vip" must fire for the tag that reads "vip".
// Invisible characters broke that: "\u200bvip" looks like "vip" and matches nothing, a
// right-to-left override shows "vip\u202egnp.exe" as "vipexe.png". Unicode's control (Cc) and
// format (Cf) characters (bidi overrides, zero-width spaces and joiners, the soft hyphen, BOM,
// BEL…) are refused in a tag; NFKC folds compatibility forms first, so the fullwidth "ＶＩＰ" is
// the tag "VIP" (and "vip", tags being one whatever their case).

const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const INVISIBLE_ALL = /[\p{Cc}\p{Cf}]/gu;

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
  const c = INVISIBLE.exec(tag)?.[0];
  if (c === undefined) return undefined;
  return `The tag "${shownTag(tag)}" holds ${codePoint(c)} (${kindOf(c)}): a tag may not hold invisible control or formatting characters, which make it look like another tag; remove it`;
}

/** A tag from elsewhere (a Chatwoot label) without its invisible characters, and which were dropped. */
export function withoutInvisible(tag: string): { tag: string; dropped: string[] } {
  const dropped = [...new Set(tag.match(INVISIBLE_ALL) ?? [])].map(codePoint);
  return { tag: dropped.length ? tag.replace(INVISIBLE_ALL, '') : tag, dropped };
}

export const Tag = z.string().trim().overwrite((s) => s.normalize('NFKC'))
  .min(1, 'A tag cannot be empty').max(64, 'A tag has at most 64 characters')
  .superRefine((tag, ctx) => {
    const problem = tagCharacterProblem(tag);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
