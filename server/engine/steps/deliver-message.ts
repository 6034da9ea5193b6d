import type { Conversation, Message } from '../../../lib/contracts/conversations';
import { addMessage } from '../../domain/conversations';
import type { StepContext } from './define';

/**
 * Delivers an outgoing message from the workflow on a conversation: the one path Send a message and
 * Ask a Question share, so a channel that delivers messages (WhatsApp, Messenger, a connected inbox)
 * carries both alike.
 */
export function deliverMessage(ctx: Pick<StepContext, 'db' | 'services' | 'run' | 'cause'>, conversation: Conversation, text: string): Promise<Message> {
  return ctx.db((uow) => addMessage(uow, ctx.services, conversation.id, {
    text, direction: 'outgoing', kind: 'message', author: { type: 'workflow', id: ctx.run.workflowId },
  }, ctx.cause));
}
