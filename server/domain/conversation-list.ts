import { sql } from 'kysely';
import {
  decodeConversationCursor, encodeConversationCursor, type ConversationList, type ConversationListItem, type ConversationQuery,
} from '../../lib/contracts/conversations';
import type { Dialect, Executor } from '../store/database';
import { contactMatches } from './contact-search';
import { toContact } from './contacts';
import { toConversation } from './conversations';

const STATUSES = ['open', 'closed'] as const;
type Status = (typeof STATUSES)[number];

/**
 * What the list is ordered by: the latest message's time (`last_message_at`, kept by a trigger on
 * messages), else when the conversation was opened. Written exactly as the index
 * conversations_by_activity (status, this, id) of migration 068, so both stores read a page from it.
 */
export const activityAt = sql<string>`COALESCE(${sql.ref('conversations.last_message_at')}, ${sql.ref('conversations.opened_at')})`;

export interface Filters { contactId?: string | undefined; q?: string | undefined }

/**
 * GET /conversations: newest activity first, keyset-paginated on (activity, id) after the
 * cursor. A tab's page is read backwards from the index from the cursor on, one extra row telling
 * whether there is a next one, each joined to its contact; no message is read. Without a status, a
 * page of each status is read that way and the two merged. `total` is a count of every row the
 * filters match.
 *
 * A conversation that gets a message moves to the top, before every cursor given out: a client
 * paging on meanwhile never meets it twice; it shows at the top of a first page (the inbox fetches
 * that again on each live change).
 */
export async function listConversations(db: Executor, dialect: Dialect, query: ConversationQuery): Promise<ConversationList> {
  const cursor = query.cursor ? decodeConversationCursor(query.cursor) : null;
  const filters: Filters = { contactId: query.contactId, q: query.q || undefined };
  const statuses = query.status ? [query.status] : STATUSES;
  const [pages, total] = await Promise.all([
    Promise.all(statuses.map((status) => pageQuery(db, dialect, status, filters, cursor, query.limit + 1).execute())),
    countOf(db, dialect, query.status, filters),
  ]);
  const rows = pages.flat();
  if (pages.length > 1) rows.sort((a, b) => compareDesc(a.activity_at, b.activity_at) || compareDesc(a.id, b.id));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    conversations: page.map(toItem),
    nextCursor: rows.length > query.limit && last ? encodeConversationCursor({ at: last.activity_at, id: last.id }) : null,
    total,
  };
}

// Text orders by bytes on both stores (COLLATE "C" on PostgreSQL, BINARY on SQLite); ids and
// timestamps are ASCII, where JavaScript's order is the same.
const compareDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** A page of one tab, as a query (the tests read its plan). */
export function pageQuery(db: Executor, dialect: Dialect, status: Status, filters: Filters, cursor: { at: string; id: string } | null, limit: number) {
  let q = db.selectFrom('conversations').innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .selectAll('conversations')
    .select(['contacts.first_name', 'contacts.last_name', 'contacts.phone', 'contacts.email', 'contacts.tags', 'contacts.fields', 'contacts.lifecycle', 'contacts.created_at', 'contacts.updated_at'])
    .select(activityAt.as('activity_at'))
    // A literal: the planner sees which part of the index the page is in.
    .where('conversations.status', '=', sql.lit(status));
  if (filters.contactId) q = q.where('conversations.contact_id', '=', filters.contactId);
  if (filters.q) q = q.where(contactMatches(dialect, filters.q));
  // (activity, id) < (at, id), spelled out: SQLite seeks an expression index column with `<=`, not
  // with a row value (it would read the tab from its newest row on and skip up to the cursor).
  if (cursor) {
    q = q.where(sql<boolean>`${activityAt} <= ${cursor.at}`)
      .where(sql<boolean>`(${activityAt} < ${cursor.at} OR ${sql.ref('conversations.id')} < ${cursor.id})`);
  }
  return q.orderBy(activityAt, 'desc').orderBy('conversations.id', 'desc').limit(limit);
}

async function countOf(db: Executor, dialect: Dialect, status: Status | undefined, filters: Filters): Promise<number> {
  let q = db.selectFrom('conversations').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (status) q = q.where('conversations.status', '=', sql.lit(status));
  if (filters.contactId) q = q.where('conversations.contact_id', '=', filters.contactId);
  if (filters.q) q = q.innerJoin('contacts', 'contacts.id', 'conversations.contact_id').where(contactMatches(dialect, filters.q));
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

type Row = Awaited<ReturnType<ReturnType<typeof pageQuery>['execute']>>[number];

const toItem = (r: Row): ConversationListItem => ({
  ...toConversation(r),
  contact: toContact({ ...r, id: r.contact_id }),
  lastActivityAt: r.activity_at,
});
