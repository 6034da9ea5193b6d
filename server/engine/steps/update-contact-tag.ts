import { Tag } from '../../../lib/contracts/contacts';
import { quoted } from '../../../lib/workflow/field-values';
import { blankReferences } from '../../../lib/workflow/template';
import { uniqueTags } from '../../../lib/workflow/tags';
import { changeTags } from '../../domain/contacts';
import { defineStep, fail, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';

export const updateContactTagStep = defineStep({
  type: 'update_contact_tag',
  outside: outsideWhenConnected,
  async run(ctx) {
    const tags: string[] = [];
    for (const template of ctx.config.tags) {
      const tag = ctx.render(template).trim();
      // A variable that came out empty leaves a tag the author did not mean (`webhook-`, or none):
      // the run stops and says which, before any tag changes.
      const blank = blankReferences(template, ctx.scope);
      if (blank.length > 0 || tag === '') return fail(blankTagMessage(template, tag, blank));
      // As POST /contacts/:id/tags reads a tag (the Tag contract), on Chatwoot's labels too.
      const checked = Tag.safeParse(tag);
      if (!checked.success) {
        return fail(`The tag “${template}” came out as ${quoted(tag)} (${tag.length.toLocaleString('en-US')} characters): ${checked.error.issues[0]?.message ?? 'not a tag'}; no tag was changed`);
      }
      tags.push(tag);
    }
    const unique = uniqueTags(tags);
    // On Chatwoot, tags are the open conversation's labels.
    const connector = await viaConnector(ctx, ctx.conversation, 'changeTags');
    if (connector) return next(await connector.invoke({ action: ctx.config.action, tags: unique }));
    const before = new Set(ctx.contact.tags);
    // No connector: the step runs inside the transaction that read ctx.contact.
    const after = await ctx.db((uow) => changeTags(uow, ctx.services, ctx.run.contactId, ctx.config.action, unique, ctx.cause, ctx.contact));
    const changed = ctx.config.action === 'add' ? after.tags.filter((t) => !before.has(t)) : [...before].filter((t) => !after.tags.includes(t));
    return next({ action: ctx.config.action, changed });
  },
});

/** "The tag “webhook-{{$trigger.source}}” came out as “webhook-”: {{$trigger.source}} was empty for this run; …" */
function blankTagMessage(template: string, tag: string, blank: string[]): string {
  const names = blank.map((name) => `{{${name}}}`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)} were` : `${names[0]} was`;
  const outcome = tag === '' ? 'came out empty' : `came out as “${tag}”`;
  return `The tag “${template}” ${outcome}${blank.length > 0 ? `: ${list} empty for this run` : ''}; no tag was changed`;
}
