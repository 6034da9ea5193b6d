import type { Conversation } from '../../../lib/contracts/conversations';
import { addMessage, getConversation } from '../../domain/conversations';
import type { Executor } from '../../store/database';
import { defineStep, fail, next, type StepContext } from './define';
import { viaConnector } from './via-connector';
import { workflowAuthor, type WorkflowAuthor } from './workflow-author';
import { writeOnce } from './write-once';

export const addCommentStep = defineStep({
  type: 'add_comment',
  // A note on a connected conversation goes there (an outside call, no transaction held). With
  // none open, the note goes on the run's own conversation, closed a moment ago (Conversation
  // Closed): when the contact has conversations in a connection, that one may be one of them.
  // Synchronous when the conversation decides (the usual case): no promise per step in a round.
  outside: (conversation, { contactId, db }) => (conversation ? Boolean(conversation.connectionId) : hasConnected(db, contactId)),
  async run(ctx) {
    // An internal note may also go on the (closed) conversation the run started from.
    const target: Conversation | null = ctx.conversation
      ?? (ctx.run.conversationId ? await ctx.db((uow) => getConversation(uow.trx, ctx.run.conversationId!)) : null);
    if (!target) return fail(await ctx.db((uow) => noConversation(uow.trx, ctx.run.contactId)));
    const text = ctx.render(ctx.config.text);
    if (text.trim() === '') return fail('Cannot add an empty comment: the text rendered empty');
    // On a connected inbox (Chatwoot) the comment is a private note there, resolved conversations
    // included (Chatwoot takes notes on them, and they stay resolved).
    const connector = await viaConnector(ctx, target, 'addNote');
    if (connector) return next(await connector.invoke({ text }));
    const author = await workflowAuthor(ctx);
    // Outside a transaction (the contact also has connected conversations) the note is written once.
    const message = ctx.outside
      ? await writeOnce(ctx, target.id, { text, kind: 'comment', author })
      : await writeComment(ctx, target, text, author);
    return next({ messageId: message.id, conversationId: target.id });
  },
});

const writeComment = (ctx: StepContext<'add_comment'>, target: Conversation, text: string, author: WorkflowAuthor) =>
  ctx.db((uow) => addMessage(uow, ctx.services, target.id, { text, direction: 'outgoing', kind: 'comment', author }, ctx.cause));

async function hasConnected(db: Executor, contactId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('conversations').select('id').where('contact_id', '=', contactId).where('connection_id', 'is not', null).limit(1).executeTakeFirst());
}

/** Why there is nowhere to comment: no conversation at all, or only closed ones (the run did not start from one). */
async function noConversation(db: Executor, contactId: string): Promise<string> {
  const last = await db.selectFrom('conversations').select(['id', 'closed_at']).where('contact_id', '=', contactId)
    .orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (!last) return 'Cannot add a comment: the contact has no conversation';
  const which = last.closed_at ? ` (their last one, ${last.id}, was closed at ${last.closed_at})` : '';
  return `Cannot add a comment: the contact has no open conversation${which} `
    + 'and the run did not start from a conversation; add an "Open the conversation" step before this one';
}
