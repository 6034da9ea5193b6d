import { channelOfLatest } from '../../domain/closed-conversations';
import { openConversation } from '../../domain/conversations';
import { toConversation } from '../../domain/conversations';
import { defineStep, next } from './define';
import { viaConnector } from './via-connector';

export const openConversationStep = defineStep({
  type: 'open_conversation',
  // With none open, the contact's latest conversation may live in a connection (Chatwoot): reopening it there is an outside call.
  outside: (c) => c === null,
  async run(ctx) {
    if (ctx.conversation) {
      ctx.note(`Conversation ${ctx.conversation.id} was already open`);
      return next({ conversationId: ctx.conversation.id, alreadyOpen: true });
    }
    const latest = await ctx.services.db.selectFrom('conversations').selectAll().where('contact_id', '=', ctx.run.contactId)
      .orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
    const connector = latest?.connection_id ? await viaConnector(ctx, toConversation(latest), 'reopen') : undefined;
    if (connector) return next({ alreadyOpen: false, ...(await connector.invoke(undefined)) });
    // A WhatsApp or Messenger customer's conversation opens again on their number or Page (as the
    // inbox's Reopen does): a message the workflow sends next reaches them there.
    const on = await channelOfLatest(ctx.services.db, ctx.run.contactId);
    const opened = await ctx.db((uow) => openConversation(uow, ctx.services, ctx.run.contactId, ctx.cause, null, on));
    return next({ conversationId: opened.id, alreadyOpen: false });
  },
});
