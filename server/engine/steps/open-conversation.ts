import { OPEN_ON_BUILT_IN, OPEN_ON_LAST } from '../../../lib/contracts/steps';
import { isChannelKind } from '../../channels/connections';
import { channelOfLatest } from '../../domain/closed-conversations';
import { openConversation } from '../../domain/conversations';
import { toConversation } from '../../domain/conversations';
import { channelTarget, moveConversation } from './conversation-channel';
import { defineStep, fail, next, type StepContext } from './define';
import { viaConnector } from './via-connector';

export const openConversationStep = defineStep({
  type: 'open_conversation',
  // With none open, the contact's latest conversation may live in a connection (Chatwoot): reopening it there is an outside call.
  outside: (c) => c === null,
  async run(ctx) {
    const choice = ctx.config.channel ?? OPEN_ON_LAST;
    const chosen = choice !== OPEN_ON_LAST && choice !== OPEN_ON_BUILT_IN ? choice : null;
    if (ctx.conversation) {
      const open = ctx.conversation;
      if (!chosen || open.connectionId === chosen) {
        ctx.note(`Conversation ${open.id} was already open`);
        return next({ conversationId: open.id, alreadyOpen: true });
      }
      // The step names a WhatsApp number or Page: the open conversation goes there, unless it
      // lives in another inbox (Chatwoot), which opens and closes it.
      // Read through ctx.db: this step runs in the run's transaction when a conversation is open.
      const kind = open.connectionId ? await ctx.db(async (uow) => (await uow.trx.selectFrom('connections').select('kind').where('id', '=', open.connectionId!).executeTakeFirst())?.kind) : undefined;
      if (kind && !isChannelKind(kind)) {
        ctx.note(`Conversation ${open.id} was already open in ${kind}; it stays there`);
        return next({ conversationId: open.id, alreadyOpen: true });
      }
      const target = await ctx.db((uow) => channelTarget(uow.trx, ctx.contact, chosen));
      if ('error' in target) return fail(`Cannot move the open conversation: ${target.error}`);
      await ctx.db((uow) => moveConversation(uow, open.id, target));
      ctx.note(`Conversation ${open.id} was already open; it now goes through ${target.kind === 'whatsapp' ? 'the WhatsApp number' : 'the Page'} "${target.name}"`);
      return next({ conversationId: open.id, alreadyOpen: true });
    }
    if (chosen) {
      // A WhatsApp number opens a business-initiated conversation on the contact's phone (send a template next).
      const target = await ctx.db((uow) => channelTarget(uow.trx, ctx.contact, chosen));
      if ('error' in target) return fail(`Cannot open the conversation: ${target.error}`);
      const opened = await ctx.db((uow) => openConversation(uow, ctx.services, ctx.run.contactId, ctx.cause, null, target));
      return next({ conversationId: opened.id, alreadyOpen: false });
    }
    if (choice === OPEN_ON_BUILT_IN) {
      const opened = await ctx.db((uow) => openConversation(uow, ctx.services, ctx.run.contactId, ctx.cause, null));
      return next({ conversationId: opened.id, alreadyOpen: false });
    }
    return next(await openOnLastChannel(ctx));
  },
});

/**
 * With none open: the contact's conversation opens again where they last talked (this step's
 * default, "last channel"). Also what a Send message with no conversation open does first
 * (send-message.ts), as respond.io sends on the last interacted channel.
 */
export async function openOnLastChannel(ctx: Pick<StepContext, 'services' | 'run' | 'db' | 'cause' | 'idempotencyKey' | 'note' | 'once' | 'cancellation'>): Promise<Record<string, unknown>> {
  const latest = await ctx.services.db.selectFrom('conversations').selectAll().where('contact_id', '=', ctx.run.contactId)
    .orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  const connector = latest?.connection_id ? await viaConnector(ctx, toConversation(latest), 'reopen') : undefined;
  if (connector) return { alreadyOpen: false, ...(await connector.invoke(undefined)) };
  // A WhatsApp or Messenger customer's conversation opens again on their number or Page (as the
  // inbox's Reopen does): a message the workflow sends next reaches them there.
  const on = await channelOfLatest(ctx.services.db, ctx.run.contactId);
  const opened = await ctx.db((uow) => openConversation(uow, ctx.services, ctx.run.contactId, ctx.cause, null, on));
  return { conversationId: opened.id, alreadyOpen: false };
}
