import type { Conversation } from '../../../lib/contracts/conversations';
import { findOpenConversation } from '../../domain/conversation-reads';
import type { StepContext } from './define';
import { openOnLastChannel } from './open-conversation';

/**
 * A Send message with no conversation open opens one first, as the Open conversation step does by
 * default (the contact's last channel): respond.io's Send a Message goes to the contact on the
 * "Last Interacted Channel", no open conversation needed
 * (https://help.respond.io/l/en/workflows/step-send-a-message), so a follow-up sent after the
 * close (Conversation closed → Trigger another workflow → Wait → Send) reaches the customer.
 * Not for a send tried again: its message waits in the conversation that was closed meanwhile,
 * and someone closed it on purpose (the message fails with the run instead).
 */
export async function openForSend(ctx: StepContext<'send_message'>): Promise<{ conversation: Conversation } | { error: string }> {
  const waiting = await ctx.services.db.selectFrom('messages').select('conversation_id').where('send_key', '=', ctx.idempotencyKey).executeTakeFirst();
  if (waiting) return { error: 'Cannot send a message: the contact has no open conversation (it was closed while this message waited to be sent again)' };
  // Its own record, not the step's key: the send after it keeps that one (a Chatwoot reopen done
  // twice is done once, and a conversation opened here is found open on a later try).
  await openOnLastChannel({ ...ctx, once: <R>(fn: () => Promise<R>) => fn() });
  const conversation = await findOpenConversation(ctx.services.db, ctx.run.contactId);
  if (!conversation) return { error: 'Cannot send a message: the contact has no open conversation and none could be opened' };
  ctx.note(`The contact had no open conversation: this step opened ${conversation.id} first, as an "Open conversation" step (last channel) would`);
  return { conversation };
}
