import { UNASSIGN } from '../../../lib/contracts/steps';
import { assignConversation } from '../../domain/conversations';
import { defineStep, fail, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';
import { workflowAuthor } from './workflow-author';

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
    // The workflow named in the thread's line (from the run's version cache: no query in a round).
    const author = await workflowAuthor(ctx);
    await ctx.db((uow) => assignConversation(uow, ctx.services, conversation.id, userId, ctx.cause, author));
    return next({ conversationId: conversation.id, assigneeId: userId });
  },
});
