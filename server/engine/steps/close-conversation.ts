import { closeConversation } from '../../domain/conversations';
import { defineStep, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';
import { workflowAuthor } from './workflow-author';

export const closeConversationStep = defineStep({
  type: 'close_conversation',
  outside: outsideWhenConnected,
  async run(ctx) {
    const conversation = ctx.conversation;
    if (!conversation) {
      ctx.note('No open conversation to close');
      return next({ closed: false });
    }
    const category = ctx.config.category ? ctx.render(ctx.config.category).trim() || null : null;
    const summary = ctx.config.summary !== undefined ? ctx.render(ctx.config.summary) : null;
    const connector = await viaConnector(ctx, conversation, 'close');
    if (connector) return next(await connector.invoke({ category, summary }));
    const author = await workflowAuthor(ctx);
    await ctx.db((uow) => closeConversation(uow, ctx.services, conversation.id, { category, summary }, ctx.cause, author));
    return next({ closed: true, conversationId: conversation.id, category, summary });
  },
});
