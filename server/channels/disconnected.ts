import type { Conversation } from '../../lib/contracts/conversations';
import { HttpError } from '../http-error';
import type { Executor } from '../store/database';

/**
 * An agent's reply on a conversation whose channel is gone would be stored and reach nobody
 * (Disconnect keeps the conversations, as built-in ones: connections.ts deleteChannel clears
 * their connection and keeps the customer's wa_id / PSID; a Chatwoot account's conversations
 * keep naming it). Refused with what to do instead of a 201 with no delivery. Notes, and a
 * customer's message posted through the API, still go in.
 */
export async function refuseReplyWithoutChannel(db: Executor, conversation: Conversation): Promise<void> {
  if (conversation.connectionId) {
    const row = await db.selectFrom('connections').select('id').where('id', '=', conversation.connectionId).executeTakeFirst();
    if (row) return;
    throw new HttpError(409, 'channel_disconnected',
      'This conversation lived in a Chatwoot account that was disconnected (Settings → Chatwoot): a reply would not reach the customer. Connect the account again, or add a note instead');
  }
  if (!conversation.externalId) return;
  throw new HttpError(409, 'channel_disconnected',
    'The WhatsApp number or Facebook Page this conversation was on was disconnected (Settings → Channels): a reply would not reach the customer. '
    + 'Connect it again (the customer\'s next message brings the conversation back to it), or add a note instead');
}

/**
 * Why a workflow's message or question cannot go out on this conversation: its WhatsApp number or
 * Page was disconnected (the conversation kept the customer's id). Stored as a built-in message
 * it would reach nobody while the run said it was sent. Undefined when it can go out.
 */
export function channelGoneForStep(conversation: Pick<Conversation, 'connectionId' | 'externalId'>): string | undefined {
  if (conversation.connectionId || !conversation.externalId) return undefined;
  return 'Not sent: the WhatsApp number or Facebook Page this conversation was on was disconnected (Settings → Channels); '
    + 'connect it again (the customer\'s next message brings the conversation back to it)';
}
