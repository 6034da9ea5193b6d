import { Tag } from '../../../lib/contracts/contacts';
import { quoted } from '../../../lib/workflow/field-values';
import { MAX_STEP_TAGS, tagsOfTemplate } from '../../../lib/workflow/tag-templates';
import { uniqueTags } from '../../../lib/workflow/tags';
import { changeTags } from '../../domain/contacts';
import { defineStep, fail, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';

export const updateContactTagStep = defineStep({
  type: 'update_contact_tag',
  outside: outsideWhenConnected,
  async run(ctx) {
    const tags: string[] = [];
    // Every tag is made and checked before any changes: a wrong one stops the run saying which.
    for (const template of ctx.config.tags) {
      const made = tagsOfTemplate(template, ctx.scope);
      if ('error' in made) return fail(made.error);
      for (const n of made.notes) ctx.note(n);
      for (const tag of made.tags) {
        // As POST /contacts/:id/tags reads a tag (the Tag contract), on Chatwoot's labels too.
        const checked = Tag.safeParse(tag);
        if (!checked.success) {
          return fail(`The tag “${template}” came out as ${quoted(tag)} (${tag.length.toLocaleString('en-US')} characters): ${checked.error.issues[0]?.message ?? 'not a tag'}; no tag was changed`);
        }
        tags.push(checked.data);
      }
    }
    const unique = uniqueTags(tags);
    if (unique.length > MAX_STEP_TAGS) {
      return fail(`The tags came to ${unique.length.toLocaleString('en-US')}; a step changes at most ${MAX_STEP_TAGS}. No tag was changed`);
    }
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
