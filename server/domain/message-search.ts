import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { containsText, searchFold } from '../store/contains-text';
import { SEARCH_COUNT_CAP } from '../../lib/contracts/conversations';
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
  if (dialect === 'sqlite' && searchesMessages(q)) {
    // FTS5 drives, its matches read one by one: LIMIT stops it. As `rowid IN (… MATCH …)`, SQLite
    // listed every match first (66,000 for a word in a third of 200,000 messages).
    return db.selectFrom(sql<{ rowid: number }>`messages_search`.as('messages_search'))
      .innerJoin('messages', (join) => join.on(sql<SqlBool>`${sql.ref('messages.rowid')} = ${sql.ref('messages_search.rowid')}`))
      .select('messages.conversation_id')
      .where(sql<SqlBool>`messages_search MATCH ${ftsPhrase(q)}`)
      .where(isMatch(dialect, sql.ref('messages'), q))
      .limit(sql.lit(SEARCH_COUNT_CAP + 1));
  }
  return db.selectFrom('messages').select('messages.conversation_id')
    .where(searchesMessages(q) ? trigramCandidates(q) : sql<SqlBool>`1 = 0`)
    .where(isMatch(dialect, sql.ref('messages'), q))
    .limit(sql.lit(SEARCH_COUNT_CAP + 1));
}

/**
 * `hits` holds only the first SEARCH_COUNT_CAP + 1 matching messages: reading every one of a
 * common word's (a third of 200,000 messages) cost 115 ms (SQLite) / 144 ms (PostgreSQL) a search,
 * for a count nobody reads to the unit. When it is full, the count is what those messages' conversations
 * give (at least: ConversationList.totalIsLowerBound), and a page also takes a conversation whose
 * match is beyond them by reading its own messages (by conversation_id): a word that
 * common is in most of the tab, so a page reads few rows before it has its 50.
 */
export const hitsCapped = sql<SqlBool>`((SELECT count(*) FROM hits) > ${sql.lit(SEARCH_COUNT_CAP)})`;

/** The conversation (`conversations`) has a message or note that holds `q`, read from its own messages: a page's test when `hits` is full (hitsCapped). */
export function holdsMatch(dialect: Dialect, q: string): RawBuilder<SqlBool> {
  if (!searchesMessages(q)) return sql<SqlBool>`1 = 0`;
  // OFFSET 0: PostgreSQL would make an EXISTS under OR a hashed subplan, testing every message once (130 ms).
  const probe = dialect === 'postgres' ? sql` OFFSET 0` : sql``;
  return sql<SqlBool>`EXISTS (SELECT 1 FROM messages AS hit_m WHERE hit_m.conversation_id = ${sql.ref('conversations.id')} AND ${isMatch(dialect, sql.ref('hit_m'), q)}${probe})`;
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

const ftsPhrase = (q: string) => `"${q.replace(/"/g, '""')}"`;

/**
 * PostgreSQL's messages that may hold `q`: those holding every trigram of its A–Z lowercase that
 * the index has as the text's own (message_trigrams folds A–Z only). Beyond ASCII the match is
 * ICU's fold (containsText), where the Kelvin sign is a "k" and "İ" an "i" with a dot: a trigram
 * with those, or with a letter beyond ASCII, may be written otherwise in a message that matches,
 * so only the others are looked up ("olá, about" looks up " ab", "abo", …); text with none of those
 * ("ação") is looked up in migration 103's index. Searching fewer trigrams only finds more candidates: containsText decides.
 */
function trigramCandidates(q: string): RawBuilder<SqlBool> {
  const folded = Array.from(searchFold(q));
  const ascii = /^[\x00-\x7f]*$/.test(q);
  const usable = (t: string) => /^[\x00-\x7f]{3}$/.test(t) && (ascii || !/[ki]/.test(t));
  const all = [...new Set(folded.slice(2).map((_, i) => folded.slice(i, i + 3).join('')))];
  const trigrams = all.filter(usable);
  const text = sql.ref('messages.text');
  const plain = trigrams.length ? sql<SqlBool>`message_trigrams(${text}) @> ${sql.val(trigrams)}::text[]` : null;
  if (plain) return plain;
  // No plain trigram ("ação"): those beyond ASCII (migration 103), of the pattern containsText's
  // ILIKE compares, folded by the database as the index holds them; it read every message. Only
  // then: offered beside the plain ones, PostgreSQL read "olá"'s 75,000 messages for "Olá, about"
  // (1,237 ms where the plain ones' plan took 50).
  if (all.some((t) => !/^[\x00-\x7f]*$/.test(t))) {
    return sql<SqlBool>`octet_length(${text}) > length(${text}) AND message_folded_trigrams(${text}) @> message_folded_trigrams(${searchFold(q)})`;
  }
  return sql<SqlBool>`true`;
}
