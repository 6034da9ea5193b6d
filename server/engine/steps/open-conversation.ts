import { openConversation } from '../../domain/conversations';
import { defineStep, next } from './define';

export const openConversationStep = defineStep({
  type: 'open_conversation',
  async run(ctx) {
    if (ctx.conversation) {
      ctx.note(`Conversation ${ctx.conversation.id} was already open`);
      return next({ conversationId: ctx.conversation.id, alreadyOpen: true });
    }
    const opened = await ctx.db((uow) => openConversation(uow, ctx.services, ctx.run.contactId, ctx.cause));
    return next({ conversationId: opened.id, alreadyOpen: false });
  },
});
