import { sql } from 'kysely';
import { decodeMessageCursor, encodeMessageCursor, type MessageCursor, type MessagePage, type MessagePageQuery } from '../../lib/contracts/conversation-messages';
import type { Executor } from '../store/database';
import { toMessage } from './conversation-rows';

/**
 * A page of a conversation's thread, going back in time (lib/contracts/conversation-messages.ts):
 * the `limit` messages before the cursor (the latest without one), read newest first with one
 * extra row telling whether older ones remain, then given oldest first. Keyset on (created_at, id),
 * the order listMessages gives the whole thread in: a message written while a client pages back
 * lands after the first page, never shifting the pages it has yet to read.
 */
export async function messagePage(db: Executor, conversationId: string, query: MessagePageQuery): Promise<MessagePage> {
  const cursor = query.cursor ? decodeMessageCursor(query.cursor) : null;
  const rows = await messagePageQuery(db, conversationId, cursor, query.limit + 1).execute();
  const page = rows.slice(0, query.limit).reverse();
  const oldest = page[0];
  return {
    messages: page.map(toMessage),
    nextCursor: rows.length > query.limit && oldest ? encodeMessageCursor({ at: oldest.created_at, id: oldest.id }) : null,
  };
}

/**
 * The rows of a page, newest first, as a query (the tests read its plan): a range of
 * messages_by_conversation_time (migration 089) read backwards from the cursor. The cursor as a
 * row value: both stores seek to it; spelled as `created_at < … OR (= … AND id < …)` they walked
 * the thread from its newest message down to it, further with each older page.
 */
export function messagePageQuery(db: Executor, conversationId: string, cursor: MessageCursor | null, limit: number) {
  let q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
  if (cursor) {
    q = q.where(sql<boolean>`(${sql.ref('created_at')}, ${sql.ref('id')}) < (${cursor.at}, ${cursor.id})`);
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
}
