import { defineStep, fail, next } from './define';
import { deliverMessage } from './deliver-message';

export const sendMessageStep = defineStep({
  type: 'send_message',
  async run(ctx) {
    const conversation = ctx.conversation;
    if (!conversation) return fail('Cannot send a message: the contact has no open conversation (add an "open conversation" step first)');
    const text = ctx.render(ctx.config.text);
    if (text.trim() === '') return fail('Cannot send an empty message: the text rendered empty');
    const message = await ctx.once(() => deliverMessage(ctx, conversation, text));
    return next({ messageId: message.id, conversationId: conversation.id });
  },
});
