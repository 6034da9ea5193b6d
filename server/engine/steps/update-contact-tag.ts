import { changeTags } from '../../domain/contacts';
import { defineStep, fail, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';

export const updateContactTagStep = defineStep({
  type: 'update_contact_tag',
  outside: outsideWhenConnected,
  async run(ctx) {
    const tags = [...new Set(ctx.config.tags.map((t) => ctx.render(t).trim()).filter((t) => t !== ''))];
    if (tags.length === 0) return fail('No tag left to change: every tag rendered empty');
    // On Chatwoot, tags are the open conversation's labels.
    const connector = await viaConnector(ctx, ctx.conversation, 'changeTags');
    if (connector) return next(await connector.invoke({ action: ctx.config.action, tags }));
    const before = new Set(ctx.contact.tags);
    // No connector: the step runs inside the transaction that read ctx.contact.
    const after = await ctx.db((uow) => changeTags(uow, ctx.services, ctx.run.contactId, ctx.config.action, tags, ctx.cause, ctx.contact));
    const changed = ctx.config.action === 'add' ? after.tags.filter((t) => !before.has(t)) : [...before].filter((t) => !after.tags.includes(t));
    return next({ action: ctx.config.action, changed });
  },
});
