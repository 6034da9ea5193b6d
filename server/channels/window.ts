import type { ChannelWindow } from '../../lib/contracts/channels';
import type { Conversation } from '../../lib/contracts/conversations';
import { sql } from 'kysely';
import type { Executor } from '../store/database';
import { RE_ENGAGEMENT } from './meta-advice';

/**
 * Meta's 24-hour customer-service window: free-form messages only within 24 hours of the
 * customer's last message; after it WhatsApp takes only an approved template and Messenger only
 * a tagged message.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
 * https://developers.facebook.com/docs/messenger-platform/policy/policy-overview#24hours_window
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Messenger's HUMAN_AGENT tag: a person's reply up to 7 days after the customer's last message
 * ("Automated messages are not allowed").
 * https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags
 */
export const HUMAN_AGENT_MS = 7 * WINDOW_MS;

export async function channelWindow(db: Executor, conversation: Pick<Conversation, 'contactId'> & { connectionId: string }, kind: 'whatsapp' | 'messenger', now = Date.now()): Promise<ChannelWindow> {
  // When the customer sent it (sent_at, Meta's clock), not when a late redelivery reached us
  // (created_at); rows from before migration 077 hold Meta's time in created_at.
  const sentAt = sql<string>`coalesce(messages.sent_at, messages.created_at)`;
  const last = await db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(sentAt.as('at')).where('conversations.contact_id', '=', conversation.contactId)
    .where('messages.connection_id', '=', conversation.connectionId).where('messages.direction', '=', 'incoming')
    .orderBy(sentAt, 'desc').limit(1).executeTakeFirst();
  const lastAt = last ? Date.parse(last.at) : null;
  const closesAt = lastAt !== null ? lastAt + WINDOW_MS : null;
  const refusedAt = kind === 'whatsapp' && closesAt !== null && closesAt > now ? await refusedSince(db, conversation) : null;
  const open = closesAt !== null && closesAt > now && !refusedAt;
  const humanAgentUntil = kind === 'messenger' && !open && lastAt !== null && lastAt + HUMAN_AGENT_MS > now ? new Date(lastAt + HUMAN_AGENT_MS).toISOString() : null;
  return {
    kind, open, closesAt: open ? new Date(closesAt!).toISOString() : null,
    lastIncomingAt: lastAt !== null ? new Date(lastAt).toISOString() : null, humanAgentUntil,
    ...(refusedAt ? { refusedAt } : {}),
    note: open ? null : kind === 'whatsapp'
      ? refusedAt
        ? 'WhatsApp refused a reply as sent more than 24 hours after the customer last wrote (by its own record): it accepts only an approved template until they write again'
        : 'The 24-hour window is closed: WhatsApp accepts only an approved template until the customer writes again'
      : 'The 24-hour window is closed: Messenger accepts only a message with a message tag (e.g. HUMAN_AGENT) until the customer writes again',
  };
}

/**
 * WhatsApp keeps the window by its own record, which may differ from ours (a message of the
 * customer's we never got, clocks): a free-form reply it refused with 131047 (Re-engagement
 * message) says the window is closed, until the customer writes again. Without this the composer
 * kept inviting replies that could only fail, each with a Resend that could only fail again. The
 * refusal's time is when the reply went out (a Resend's, else its own); failed by the send's answer
 * or a status webhook. The customer wrote again if a message of theirs came in after it and may have
 * been sent after it (Meta's timestamp is in seconds; one redelivered from before does not count).
 */
async function refusedSince(db: Executor, conversation: { contactId: string; connectionId: string }): Promise<string | null> {
  const ofCustomer = () => db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .where('conversations.contact_id', '=', conversation.contactId).where('messages.connection_id', '=', conversation.connectionId);
  const sent = sql<string>`coalesce(messages.thread_at, messages.created_at)`;
  const refused = await ofCustomer().select(sent.as('at')).where('messages.direction', '=', 'outgoing')
    .where('messages.delivery_status', '=', 'failed').where('messages.delivery_error', 'like', `%Meta error ${RE_ENGAGEMENT}%`)
    .orderBy(sent, 'desc').limit(1).executeTakeFirst();
  if (!refused) return null;
  const secondBefore = new Date(Date.parse(refused.at) - 1000).toISOString();
  const wroteAgain = await ofCustomer().select('messages.id').where('messages.direction', '=', 'incoming')
    .where('messages.created_at', '>', refused.at).where(sql<string>`coalesce(messages.sent_at, messages.created_at)`, '>', secondBefore)
    .limit(1).executeTakeFirst();
  return wroteAgain ? null : refused.at;
}
