import type { Conversation, Message } from '../../../lib/contracts/conversations';
import { addMessage } from '../../domain/conversations';
import type { StepContext } from './define';
import { workflowAuthor } from './workflow-author';

/**
 * Delivers an outgoing message from the workflow on a built-in conversation, as Send a message
 * does (the same addMessage call, author and cause), inside the step's checkpoint transaction.
 * Ask a Question on a connected conversation sends through ask-delivery.ts instead.
 */
export async function deliverMessage(ctx: Pick<StepContext, 'db' | 'services' | 'run' | 'cause'>, conversation: Conversation, text: string): Promise<Message> {
  const author = await workflowAuthor(ctx);
  return ctx.db((uow) => addMessage(uow, ctx.services, conversation.id, {
    text, direction: 'outgoing', kind: 'message', author,
  }, ctx.cause));
}
