import type { Executor } from '../store/database';
import { threadKey } from './message-page';

// Where a customer's message Meta delivered late or out of order sits in its thread (migration
// 095). Meta's webhooks promise no order, and a delivery that failed is tried again for up to 7
// days (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview;
// statuses too: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object),
// so "(2nd) The order number is R-77" can come in before "(1st) Hi again". Placed by the
// customer's send time, the thread reads as they wrote it. But not above what an agent may have
// read already: what had been in the thread for PLACED_WITHIN_MS when it arrived stays above it,
// so a message days late comes last (as on a phone that was offline: the send time on the
// bubble, the place where it came in) instead of days back where nobody looks. The list and the
// unread counts keep its arrival (created_at), so the conversation still comes up as new.

/** How far back among what came in lately a message may go to sit where the customer sent it. */
export const PLACED_WITHIN_MS = 10 * 60_000;

/**
 * thread_at for a customer's message sent at `sentAt` (Meta's clock) arriving at `arrivedAt`: the
 * end of the second it was sent in, or just after what had been there for PLACED_WITHIN_MS; null
 * where arrival already puts it in its place (the usual case: nothing in the thread was
 * written after the customer sent it). Two index reads from the thread's end (messages_by_thread_order).
 */
export async function threadPlace(db: Executor, conversationId: string, sentAt: string, arrivedAt: string): Promise<string | null> {
  // WhatsApp's timestamp is in seconds: sent within it, after what came in earlier in that second.
  const sentBy = new Date(Math.floor(Date.parse(sentAt) / 1000) * 1000 + 999).toISOString();
  if (sentBy >= arrivedAt) return null;
  const key = threadKey();
  const thread = () => db.selectFrom('messages').where('conversation_id', '=', conversationId);
  const newest = (q: ReturnType<typeof thread>) => q.select(key.as('at')).orderBy(key, 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const last = await newest(thread());
  if (!last || last.at <= sentBy) return null;
  const settled = new Date(Date.parse(arrivedAt) - PLACED_WITHIN_MS).toISOString();
  // The latest place among messages in the thread for longer than that: read from the end, the first found.
  const floor = await newest(thread().where('created_at', '<=', settled));
  const lowest = floor && floor.at > sentBy ? floor.at : sentBy;
  // Never above a message of the customer's sent before this one (or in its second) that came in
  // first: sits where IT arrived (Meta's usual second or two late), so each message of a burst
  // would otherwise go above the one before it. The range below `lowest` is what came lately.
  const earlier = await newest(thread().where(key, '>', lowest).where('direction', '=', 'incoming').where('sent_at', 'is not', null).where('sent_at', '<=', sentAt));
  const place = earlier ? earlier.at : lowest;
  return place < last.at ? place : null;
}
