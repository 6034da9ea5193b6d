import { sql } from 'kysely';
import { decodeMessageCursor, encodeMessageCursor, type MessageCursor, type MessagePage, type MessagePageQuery } from '../../lib/contracts/conversation-messages';
import { isPostgres, type Executor } from '../store/database';
import { toMessage } from './conversation-rows';

/**
 * Where a message sits in its thread (migration 095): where it arrived, unless placed elsewhere (a
 * customer's message Meta delivered out of order, a Resend). Spelled as the index
 * messages_by_thread_order is, so both stores read pages from it.
 */
export const threadKey = (table?: string) => sql<string>`COALESCE(${sql.ref(table ? `${table}.thread_at` : 'thread_at')}, ${sql.ref(table ? `${table}.created_at` : 'created_at')})`;

/**
 * A page of a conversation's thread, going back in time (lib/contracts/conversation-messages.ts):
 * the `limit` messages before the cursor (the latest without one), read newest first with one
 * extra row telling whether older ones remain, then given oldest first. Keyset on (threadKey, id),
 * the order listMessages gives the whole thread in: a message written while a client pages back
 * lands after the first page (or, placed by its send time, among the last 10 minutes' messages,
 * which the first page holds), never shifting the pages it has yet to read.
 */
export async function messagePage(db: Executor, conversationId: string, query: MessagePageQuery): Promise<MessagePage> {
  const cursor = query.cursor ? decodeMessageCursor(query.cursor) : null;
  const rows = await messagePageQuery(db, conversationId, cursor, query.limit + 1).execute();
  const page = rows.slice(0, query.limit).reverse();
  const oldest = page[0];
  return {
    messages: page.map(toMessage),
    nextCursor: rows.length > query.limit && oldest ? encodeMessageCursor({ at: oldest.thread_at ?? oldest.created_at, id: oldest.id }) : null,
  };
}

/**
 * The rows of a page, newest first, as a query (the tests read its plan): a range of
 * messages_by_thread_order (migration 095) read backwards from the cursor. PostgreSQL seeks to the
 * cursor as a row value; SQLite seeks an expression column with `<=` only, not with a row value
 * (conversation-list.ts does the same). Spelled as `key < … OR (= … AND id < …)` alone, both walked
 * the thread from its newest message down to it, further with each older page.
 */
export function messagePageQuery(db: Executor, conversationId: string, cursor: MessageCursor | null, limit: number) {
  const key = threadKey();
  let q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
  if (cursor && isPostgres(db)) q = q.where(sql<boolean>`(${key}, ${sql.ref('id')}) < (${cursor.at}, ${cursor.id})`);
  else if (cursor) q = q.where(sql<boolean>`${key} <= ${cursor.at}`).where(sql<boolean>`(${key} < ${cursor.at} OR ${sql.ref('id')} < ${cursor.id})`);
  return q.orderBy(key, 'desc').orderBy('id', 'desc').limit(limit);
}
