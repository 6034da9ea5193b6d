import { wereEmpty } from './empty-values';
import { blankReferences, listReferences, renderTemplate, type TemplateScope } from './template';

// The tags one entry of Update Contact Tag makes for a run. A list variable makes one tag per
// element, each with the text around it (`sku-{{$trigger.skus}}` with ["A","B"]: sku-A and sku-B),
// as an n8n or respond.io user mapping a webhook's list expects; read as text it would be one tag
// "sku-A, B". Two lists in one tag have no one meaning (pairs? every combination?): the step fails.

/** At most this many tags change in one step, as a step's tag list and POST /contacts/:id/tags take. */
export const MAX_STEP_TAGS = 50;

export type TemplateTags = { tags: string[]; notes: string[] } | { error: string };

/** Pure. The tags, trimmed (the Tag contract is checked by the caller), or why there are none. */
export function tagsOfTemplate(template: string, scope: TemplateScope): TemplateTags {
  const blank = blankReferences(template, scope);
  const lists = listReferences(template, scope);
  if (lists.length > 1) {
    return { error: `The tag “${template}” uses ${lists.length} lists (${lists.map((l) => `{{${l.name}}}`).join(', ')}); a tag makes one tag per element of one list: put each list in a tag of its own. No tag was changed` };
  }
  const [list] = lists;
  // A variable that came out empty leaves a tag the author did not mean (`webhook-`, or none).
  if (blank.length > 0 || !list) {
    const tag = renderTemplate(template, scope).text.trim();
    return blank.length > 0 || tag === '' ? { error: blankTagMessage(template, tag, blank) } : { tags: [tag], notes: [] };
  }
  if (list.list.some((e) => e !== null && typeof e === 'object')) {
    return { error: `The tag “${template}”: {{${list.name}}} is a list of objects or lists, which make no tag; map a value inside them (such as $.items[*].sku). No tag was changed` };
  }
  const present = list.list.filter((e) => String(e ?? '').trim() !== '');
  const tags = present.map((e) => renderTemplate(template, scope, new Map([[list.name, e]])).text.trim());
  if (tags.length === 0) return { error: `The tag “${template}” came out empty: every element of {{${list.name}}} was empty for this run; no tag was changed` };
  const skipped = list.list.length - present.length;
  return { tags, notes: skipped > 0 ? [`${skipped} of the ${list.list.length} elements of {{${list.name}}} were empty and made no tag`] : [] };
}

/** "The tag “webhook-{{$trigger.source}}” came out as “webhook-”: {{$trigger.source}} was empty for this run; …" */
function blankTagMessage(template: string, tag: string, blank: string[]): string {
  const outcome = tag === '' ? 'came out empty' : `came out as “${tag}”`;
  return `The tag “${template}” ${outcome}${blank.length > 0 ? `: ${wereEmpty(blank)} empty for this run` : ''}; no tag was changed`;
}
