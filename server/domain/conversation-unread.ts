import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { UNREAD_COUNT_CAP, type ConversationSeen } from '../../lib/contracts/conversations';
import type { User } from '../../lib/contracts/users';
import { nowIso } from '../ids';
import type { Services } from '../services';
import type { Executor } from '../store/database';
import { UNREAD_SINCE_KEY } from '../store/migrations/094-conversation-reads';
import { getConversation } from './conversation-reads';
import { getSetting } from './settings';

// What each user has not read yet (migration 094): Chatwoot's agent_last_seen_at, kept per user.
// A conversation's unread count, for whoever reads the list, is its customer's messages that
// arrived (created_at: arrival, also for a message Meta delivered late) after that user last
// looked at it, or after `since` for one they never opened.

/** Who reads the list, and since when a conversation they never opened has unread messages. */
export interface Reader { id: string; since: string }

/** unread_since, per database: written once by migration 094, never changed. */
const startedAt = new WeakMap<Executor, string>();

/** The signed-in user as a reader: messages before their account, or before this server kept reads, count as seen. */
export async function readerOf(db: Executor, user: Pick<User, 'id' | 'createdAt'>): Promise<Reader> {
  let since = startedAt.get(db);
  if (since === undefined) {
    since = await getSetting<string>(db, UNREAD_SINCE_KEY, '');
    startedAt.set(db, since);
  }
  return { id: user.id, since: since > user.createdAt ? since : user.createdAt };
}

/**
 * A list row's unread count, for the query of conversation-list.ts (its `conversations`): the
 * reader's look by primary key; only a conversation whose latest message (last_message_at, the
 * greatest created_at of its messages but activity lines: migration 068) came after it is counted
 * at all, its messages from that look on read from messages_by_conversation_time (migration 089)
 * until UNREAD_COUNT_CAP customer's ones are found. A page of conversations opened since their
 * last message reads no message.
 */
export function unreadCount(reader: Reader): RawBuilder<number | string> {
  const seen = seenAt(reader);
  return sql<number | string>`CASE WHEN ${sql.ref('conversations.last_message_at')} > ${seen} THEN (SELECT count(*) FROM (${unreadMessages(seen, UNREAD_COUNT_CAP)}) AS unread_rows) ELSE 0 END`;
}

/**
 * `unread=true` of the list: the reader has a customer's message to see here (an unread count
 * above 0), read as unreadCount reads it but stopping at the first such message.
 */
export function hasUnread(reader: Reader): RawBuilder<SqlBool> {
  const seen = seenAt(reader);
  return sql<SqlBool>`(${sql.ref('conversations.last_message_at')} > ${seen} AND EXISTS (${unreadMessages(seen, 1)}))`;
}

/**
 * hasUnread for the count of unread=true on PostgreSQL, over the reader's reads joined as
 * `unread_seen` (countQuery's left join): as hasUnread's subquery, the count probed conversation_reads
 * once per row of the tab (20,000: 159 ms of a 25,000-conversation inbox, bench/inbox-search.ts)
 * and, the EXISTS made a semi-join, read every customer's message into a hash. The reads are one
 * user's, read once; CASE keeps the EXISTS a probe of messages_by_conversation_time for the rows
 * with a message after the look (a semi-join is made only of an AND's own EXISTS).
 */
export function hasUnreadJoined(reader: Reader): RawBuilder<SqlBool> {
  const seen = sql`COALESCE(${sql.ref('unread_seen.seen_at')}, ${reader.since})`;
  return sql<SqlBool>`CASE WHEN ${sql.ref('conversations.last_message_at')} > ${seen} THEN EXISTS (${unreadMessages(seen, 1)}) ELSE false END`;
}

const seenAt = (reader: Reader) => sql`COALESCE((SELECT seen.seen_at FROM conversation_reads AS seen WHERE seen.conversation_id = ${sql.ref('conversations.id')} AND seen.user_id = ${reader.id}), ${reader.since})`;

const unreadMessages = (seen: RawBuilder<unknown>, cap: number) => sql`SELECT 1 FROM messages AS unread_m WHERE unread_m.conversation_id = ${sql.ref('conversations.id')}
    AND unread_m.created_at > ${seen} AND unread_m.direction = 'incoming' AND unread_m.kind = 'message' LIMIT ${sql.lit(cap)}`;

/**
 * POST /conversations/:id/seen: the user has looked at it now. One upsert, which moves the time
 * on only when a message came after the last look (last_message_at) and never back: a look with
 * nothing new (the inbox sends one each time it shows a conversation, at most every few seconds)
 * writes nothing. The user's other tabs and devices hear a change (`conversation.seen`, only on
 * their own streams).
 */
export async function markSeen(services: Services, user: Pick<User, 'id'>, conversationId: string): Promise<ConversationSeen> {
  const conversation = await getConversation(services.db, conversationId);
  const seenAt = nowIso();
  const written = await services.db.insertInto('conversation_reads').values({ conversation_id: conversation.id, user_id: user.id, seen_at: seenAt })
    .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ seen_at: seenAt })
      .where('conversation_reads.seen_at', '<', seenAt)
      .where(sql<boolean>`${sql.ref('conversation_reads.seen_at')} < (SELECT last_message_at FROM conversations WHERE id = ${conversation.id})`))
    .executeTakeFirst();
  if (Number(written.numInsertedOrUpdatedRows ?? 0n) > 0) {
    services.live.publish({ type: 'conversation.seen', conversationId: conversation.id, userId: user.id, seenAt });
    return { conversationId: conversation.id, seenAt };
  }
  // Nothing new since the last look (or two in one millisecond): that look's time stands.
  const row = await services.db.selectFrom('conversation_reads').select('seen_at').where('conversation_id', '=', conversation.id).where('user_id', '=', user.id).executeTakeFirst();
  return { conversationId: conversation.id, seenAt: row?.seen_at ?? seenAt };
}
