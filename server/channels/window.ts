import type { ChannelWindow } from '../../lib/contracts/channels';
import type { Conversation } from '../../lib/contracts/conversations';
import type { Executor } from '../store/database';

/**
 * Meta's 24-hour customer-service window: free-form messages only within 24 hours of the
 * customer's last message; after it WhatsApp takes only an approved template and Messenger only
 * a tagged message.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
 * https://developers.facebook.com/docs/messenger-platform/policy/policy-overview#24hours_window
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

export async function channelWindow(db: Executor, conversation: Pick<Conversation, 'contactId'> & { connectionId: string }, kind: 'whatsapp' | 'messenger', now = Date.now()): Promise<ChannelWindow> {
  const last = await db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select('messages.created_at').where('conversations.contact_id', '=', conversation.contactId)
    .where('messages.connection_id', '=', conversation.connectionId).where('messages.direction', '=', 'incoming')
    .orderBy('messages.created_at', 'desc').limit(1).executeTakeFirst();
  const closesAt = last ? Date.parse(last.created_at) + WINDOW_MS : null;
  const open = closesAt !== null && closesAt > now;
  return {
    kind, open, closesAt: open ? new Date(closesAt!).toISOString() : null,
    note: open ? null : kind === 'whatsapp'
      ? 'The 24-hour window is closed: WhatsApp accepts only an approved template until the customer writes again'
      : 'The 24-hour window is closed: Messenger accepts only a message with a message tag (e.g. HUMAN_AGENT) until the customer writes again',
  };
}
