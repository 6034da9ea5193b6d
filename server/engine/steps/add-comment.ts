import { addMessage } from '../../domain/conversations';
import { defineStep, fail, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';

export const addCommentStep = defineStep({
  type: 'add_comment',
  outside: outsideWhenConnected,
  async run(ctx) {
    // An internal note may also go on the (closed) conversation the run started from.
    const conversationId = ctx.conversation?.id ?? ctx.run.conversationId;
    if (!conversationId) return fail('Cannot add a comment: the contact has no conversation');
    const text = ctx.render(ctx.config.text);
    if (text.trim() === '') return fail('Cannot add an empty comment: the text rendered empty');
    // On a connected inbox (Chatwoot) the comment is a private note there.
    const connector = await viaConnector(ctx, ctx.conversation, 'addNote');
    if (connector) return next(await connector.invoke({ text }));
    const message = await ctx.db((uow) => addMessage(uow, ctx.services, conversationId, {
      text, direction: 'outgoing', kind: 'comment', author: { type: 'workflow', id: ctx.run.workflowId },
    }, ctx.cause));
    return next({ messageId: message.id, conversationId });
  },
});
