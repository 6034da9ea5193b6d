import { addMessage } from '../../domain/conversations';
import type { Executor } from '../../store/database';
import { defineStep, fail, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';
import { workflowAuthor } from './workflow-author';

export const addCommentStep = defineStep({
  type: 'add_comment',
  outside: outsideWhenConnected,
  async run(ctx) {
    // An internal note may also go on the (closed) conversation the run started from.
    const conversationId = ctx.conversation?.id ?? ctx.run.conversationId;
    if (!conversationId) return fail(await ctx.db((uow) => noConversation(uow.trx, ctx.run.contactId)));
    const text = ctx.render(ctx.config.text);
    if (text.trim() === '') return fail('Cannot add an empty comment: the text rendered empty');
    // On a connected inbox (Chatwoot) the comment is a private note there.
    const connector = await viaConnector(ctx, ctx.conversation, 'addNote');
    if (connector) return next(await connector.invoke({ text }));
    const author = await workflowAuthor(ctx);
    const message = await ctx.db((uow) => addMessage(uow, ctx.services, conversationId, {
      text, direction: 'outgoing', kind: 'comment', author,
    }, ctx.cause));
    return next({ messageId: message.id, conversationId });
  },
});

/** Why there is nowhere to comment: no conversation at all, or only closed ones (the run did not start from one). */
async function noConversation(db: Executor, contactId: string): Promise<string> {
  const last = await db.selectFrom('conversations').select(['id', 'closed_at']).where('contact_id', '=', contactId)
    .orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (!last) return 'Cannot add a comment: the contact has no conversation';
  const which = last.closed_at ? ` (their last one, ${last.id}, was closed at ${last.closed_at})` : '';
  return `Cannot add a comment: the contact has no open conversation${which} `
    + 'and the run did not start from a conversation; add an "Open the conversation" step before this one';
}
