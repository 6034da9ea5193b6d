import { withoutInvisible } from '../../../lib/contracts/tag';

/**
 * Chatwoot labels as the contact's tags. Chatwoot's own labels hold only letters, digits, "-" and
 * "_" (Label's title format), but a label that holds an invisible character (an older Chatwoot,
 * a label made through its API) loses that character rather than the label, and the delivery's
 * notes say so; the tags API would refuse it (lib/contracts/tag.ts). Cut to a tag's 64 characters.
 */
export function labelsAsTags(labels: readonly string[], notes: string[]): string[] {
  return labels.flatMap((label) => {
    const { tag, dropped } = withoutInvisible(label);
    if (dropped.length) notes.push(`Chatwoot label "${tag}" held invisible characters (${dropped.join(', ')}); the tag is "${tag.slice(0, 64)}" without them`);
    const cut = tag.trim().slice(0, 64);
    return cut ? [cut] : [];
  });
}
