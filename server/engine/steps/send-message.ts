import { addMessage } from '../../domain/conversations';
import { defineStep, fail, next } from './define';

export const sendMessageStep = defineStep({
  type: 'send_message',
  async run(ctx) {
    const conversation = ctx.conversation;
    if (!conversation) return fail('Cannot send a message: the contact has no open conversation (add an "open conversation" step first)');
    const text = ctx.render(ctx.config.text);
    if (text.trim() === '') return fail('Cannot send an empty message: the text rendered empty');
    const message = await ctx.once(() => ctx.db((uow) => addMessage(uow, ctx.services, conversation.id, {
      text, direction: 'outgoing', kind: 'message', author: { type: 'workflow', id: ctx.run.workflowId },
    }, ctx.cause)));
    return next({ messageId: message.id, conversationId: conversation.id });
  },
});
