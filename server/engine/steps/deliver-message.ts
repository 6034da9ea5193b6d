import type { Conversation, Message } from '../../../lib/contracts/conversations';
import { addMessage } from '../../domain/conversations';
import type { StepContext } from './define';

/**
 * Delivers an outgoing message from the workflow on a conversation, as Send a message does on a
 * built-in conversation (the same addMessage call, author and cause). Ask a Question sends through
 * here; send_message itself is left as it is on main because the channels work rewrites it to
 * deliver through WhatsApp/Messenger: when that lands, this function routes connection
 * conversations through the same channel delivery.
 */
export function deliverMessage(ctx: Pick<StepContext, 'db' | 'services' | 'run' | 'cause'>, conversation: Conversation, text: string): Promise<Message> {
  return ctx.db((uow) => addMessage(uow, ctx.services, conversation.id, {
    text, direction: 'outgoing', kind: 'message', author: { type: 'workflow', id: ctx.run.workflowId },
  }, ctx.cause));
}
