import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { containsText, searchFold } from '../store/contains-text';
import type { Dialect, Executor } from '../store/database';

/** Text shorter than a trigram finds no message (a contact still): one or two letters are in nearly every message. */
export const MESSAGE_SEARCH_MIN = 3;

/**
 * The conversations whose messages or notes hold the text, as people wrote them (activity lines
 * are the companion's words; a workflow's are the same in thousands of conversations: migration 096): the CTE `hits` of the search's statement (conversation-search.ts), read
 * once per search as `matched` is; a conversation once per matching message (the statement asks
 * only whether it is in; grouped, PostgreSQL sorted every match). The trigram index of migration
 * 096 finds the candidates; containsText, the contacts' test, decides (the same case fold, "%"
 * and "_" as themselves), so both stores answer the same. Chatwoot's message search is such a
 * substring test too (chatwoot/chatwoot app/services/search_service.rb, filter_messages_with_like:
 * `content ILIKE '%q%'`, though only over the last 3 months); here every message is searched,
 * the index bounding the reads.
 */
export function messageHits(db: Executor, dialect: Dialect, q: string) {
  return db.selectFrom('messages').select('messages.conversation_id')
    .where(searchesMessages(q) ? trigramCandidates(dialect, q) : sql<SqlBool>`1 = 0`)
    .where(isMatch(dialect, sql.ref('messages'), q));
}

/**
 * A page row's latest message or note that holds the text (ids are time-ordered): read for the
 * rows of the page only, from the conversation's messages (messages_by_conversation_time).
 */
export function latestMatch(dialect: Dialect, q: string): RawBuilder<string | null> {
  if (!searchesMessages(q)) return sql<null>`NULL`;
  const m = sql.ref('match_m');
  return sql<string | null>`(SELECT max(match_m.id) FROM messages AS match_m WHERE match_m.conversation_id = ${sql.ref('conversations.id')} AND ${isMatch(dialect, m, q)})`;
}

const searchesMessages = (q: string) => Array.from(q).length >= MESSAGE_SEARCH_MIN;

// What people wrote (migration 096's searchedMessages: its partial index on PostgreSQL is used
// only where the statement says the same).
const isMatch = (dialect: Dialect, table: RawBuilder<unknown>, q: string) =>
  sql<SqlBool>`${table}.kind IN ('message', 'comment') AND ${table}.author_type <> 'workflow' AND ${containsText(dialect, sql`${table}.text`, q)}`;

/**
 * The messages that may hold `q`, from the trigram index: on SQLite FTS5's phrase of its
 * trigrams (a substring, any case); on PostgreSQL those holding every trigram of its A–Z
 * lowercase. Text beyond ASCII on PostgreSQL has no trigrams there to look up (its fold is ICU's):
 * it reads the messages as before.
 */
function trigramCandidates(dialect: Dialect, q: string): RawBuilder<SqlBool> {
  if (dialect === 'sqlite') {
    const phrase = `"${q.replace(/"/g, '""')}"`;
    return sql<SqlBool>`${sql.ref('messages.rowid')} IN (SELECT rowid FROM messages_search WHERE messages_search MATCH ${phrase})`;
  }
  if (!/^[\x00-\x7f]*$/.test(q)) return sql<SqlBool>`true`;
  const folded = searchFold(q);
  const trigrams = [...new Set(Array.from({ length: folded.length - 2 }, (_, i) => folded.slice(i, i + 3)))];
  return sql<SqlBool>`message_trigrams(${sql.ref('messages.text')}) @> ${sql.val(trigrams)}::text[]`;
}
