// A tag is one tag whatever its case: "VIP" and "vip" are the same tag, as in respond.io, n8n and
// Chatwoot (which lowercases its labels). A contact keeps the casing it first got: adding "VIP" to
// a contact tagged "vip" changes nothing. Every comparison of tags goes through `tagFold`.

/** The form tags are compared in (and trigger index keys hold). */
export const tagFold = (tag: string): string => tag.toLowerCase();

/** Whether `tags` holds `tag` in any case. */
export const hasTag = (tags: readonly string[], tag: string): boolean => {
  const folded = tagFold(tag);
  return tags.some((t) => tagFold(t) === folded);
};

/** `tags` without case-duplicates: the first casing of each tag stays, in order. */
export function uniqueTags(tags: Iterable<string>): string[] {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const tag of tags) {
    const folded = tagFold(tag);
    if (seen.has(folded)) continue;
    seen.add(folded);
    unique.push(tag);
  }
  return unique;
}

/**
 * The tags after adding or removing `tags`, and which of them really changed, in the casing the
 * contact holds them (a removed tag as the contact had it; an added one as first given).
 */
export function applyTags(current: readonly string[], action: 'add' | 'remove', tags: readonly string[]): { tags: string[]; changed: string[] } {
  if (action === 'add') {
    const changed = uniqueTags(tags).filter((t) => !hasTag(current, t));
    return { tags: [...current, ...changed], changed };
  }
  const gone = new Set(tags.map(tagFold));
  return { tags: current.filter((t) => !gone.has(tagFold(t))), changed: current.filter((t) => gone.has(tagFold(t))) };
}
