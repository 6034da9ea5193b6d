import { changeTags } from '../../domain/contacts';
import { defineStep, fail, next } from './define';

export const updateContactTagStep = defineStep({
  type: 'update_contact_tag',
  async run(ctx) {
    const tags = [...new Set(ctx.config.tags.map((t) => ctx.render(t).trim()).filter((t) => t !== ''))];
    if (tags.length === 0) return fail('No tag left to change: every tag rendered empty');
    const before = new Set(ctx.contact.tags);
    const after = await ctx.db((uow) => changeTags(uow, ctx.services, ctx.run.contactId, ctx.config.action, tags, ctx.cause));
    const changed = ctx.config.action === 'add' ? after.tags.filter((t) => !before.has(t)) : [...before].filter((t) => !after.tags.includes(t));
    return next({ action: ctx.config.action, changed });
  },
});
