import { UNASSIGN } from '../../../lib/contracts/steps';
import { assignConversation } from '../../domain/conversations';
import { defineStep, fail, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';

export const assignToStep = defineStep({
  type: 'assign_to',
  outside: outsideWhenConnected,
  async run(ctx) {
    const conversation = ctx.conversation;
    if (!conversation) return fail('Cannot assign: the contact has no open conversation');
    const target = ctx.render(ctx.config.userId).trim();
    if (target === '') return fail('Cannot assign: the user id rendered empty');
    const userId = target === UNASSIGN ? null : target;
    const connector = await viaConnector(ctx, conversation, 'assign');
    if (connector) return next(await connector.invoke({ userId }));
    await ctx.db((uow) => assignConversation(uow, ctx.services, conversation.id, userId, ctx.cause));
    return next({ conversationId: conversation.id, assigneeId: userId });
  },
});
