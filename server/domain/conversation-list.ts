import { sql } from 'kysely';
import {
  ASSIGNEE_FILTER_HINT, ASSIGNEE_ME, ASSIGNEE_NONE, decodeConversationCursor, encodeConversationCursor,
  UNREAD_COUNT_CAP, UNREAD_FILTER_HINT, type ConversationList, type ListChannel, type ConversationListItem, type ConversationQuery, type LastMessage,
} from '../../lib/contracts/conversations';
import { CHANNEL_KINDS, type MessageDelivery } from '../../lib/contracts/channels';
import { explainMetaError } from '../channels/meta-advice';
import { HttpError } from '../http-error';
import type { Dialect, Executor } from '../store/database';
import { contactMatches } from './contact-search';
import { toContact } from './contacts';
import { toConversation } from './conversations';
import { inMatched, searchPages } from './conversation-search';
import { hasUnread, hasUnreadJoined, unreadCount, type Reader } from './conversation-unread';
import { channelIs } from './conversation-channel-filter';
import { latestMatch } from './message-search';
import { searchMatches } from './search-snippet';

const STATUSES = ['open', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * What the list is ordered by: the latest message's time (`last_message_at`, kept by a trigger on
 * messages), else when the conversation was opened. Written exactly as the index
 * conversations_by_activity (status, this, id) of migration 068, so both stores read a page from it.
 */
export const activityAt = sql<string>`COALESCE(${sql.ref('conversations.last_message_at')}, ${sql.ref('conversations.opened_at')})`;

/** `assigneeId`: a user's id, null for unassigned, undefined for anyone's (resolved by assigneeFilter). */
export interface Filters {
  contactId?: string | undefined; q?: string | undefined; assigneeId?: string | null | undefined;
  /** UTC ISO time (TimeBound): changed at or after it. */
  updatedSince?: string | undefined;
  /** The contacts `q` matches are the statement's CTE `matched`, read once (conversation-search.ts). */
  qMatched?: boolean | undefined;
  /** A signed-in user: each row says how many of its customer's messages they have not seen (conversation-unread.ts). */
  reader?: Reader | undefined;
  /** Only the rows with an unread count (needs `reader`). */
  unread?: boolean | undefined;
  /** Only the rows of the channel their badge says (conversation-channel-filter.ts). */
  channel?: ListChannel | undefined;
}

/**
 * GET /conversations: newest activity first, keyset-paginated on (activity, id) after the
 * cursor. A tab's page is read backwards from the index from the cursor on, one extra row telling
 * whether there is a next one, each joined to its contact and its latest message (by that message's
 * id, kept on the conversation): no conversation's messages are read. An assignee filter reads
 * conversations_by_assignee the same way. Without a status, a page of each status is read that
 * way and the two merged. `total` is a count of every row the filters match.
 *
 * A conversation that gets a message moves to the top, before every cursor given out: a client
 * paging on meanwhile never meets it twice; it shows at the top of a first page (the inbox fetches
 * that again on each live change).
 */
export async function listConversations(db: Executor, dialect: Dialect, query: Omit<ConversationQuery, 'assigneeId'>, assigneeId?: string | null, reader?: Reader): Promise<ConversationList> {
  const cursor = query.cursor ? decodeConversationCursor(query.cursor) : null;
  if (query.unread === 'true' && !reader) throw new HttpError(422, 'invalid_content', 'unread=true lists what the signed-in user has not seen: an API key has read nothing. Leave it out', [{ path: 'querystring.unread', message: UNREAD_FILTER_HINT }]);
  const filters: Filters = {
    contactId: query.contactId, q: query.q || undefined, assigneeId, updatedSince: query.updatedSince, reader, unread: query.unread === 'true', channel: query.channel,
  };
  const statuses = query.status ? [query.status] : STATUSES;
  const [pages, total, totalIsLowerBound = false] = filters.q ? await searchPages(db, dialect, statuses, filters, cursor, query.limit + 1) : await Promise.all([
    Promise.all(statuses.map((status) => tabPage(db, dialect, status, filters, cursor, query.limit + 1))),
    countOf(db, dialect, query.status, filters),
  ]);
  const rows = pages.flat();
  if (pages.length > 1) rows.sort((a, b) => compareDesc(a.activity_at, b.activity_at) || compareDesc(a.id, b.id));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const found = filters.q ? await searchMatches(db, page.map((r) => r.match_id), filters.q) : undefined;
  return {
    conversations: page.map((r) => ({ ...toItem(r), ...(r.match_id && found?.has(r.match_id) ? { match: found.get(r.match_id) } : {}) })),
    nextCursor: rows.length > query.limit && last ? encodeConversationCursor({ at: last.activity_at, id: last.id }) : null,
    total,
    totalIsLowerBound,
  };
}

// Text orders by bytes on both stores (COLLATE "C" on PostgreSQL, BINARY on SQLite); ids and
// timestamps are ASCII, where JavaScript's order is the same.
const compareDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/**
 * A page of one tab. `updatedSince` on the closed tab is two ranges read in the list's order, one
 * after the other: the conversations active since (conversations_by_activity, newest first), then
 * those closed since whose activity is older (conversations_by_closing, migration 084: the few
 * closed since the last poll, sorted). Each row of the first is newer than each of the second, so
 * the page is the first's rows, then the second's; a full first part needs no second.
 */
async function tabPage(db: Executor, dialect: Dialect, status: Status, filters: Filters, cursor: { at: string; id: string } | null, limit: number) {
  const active = await pageQuery(db, dialect, status, filters, cursor, limit).execute();
  if (status === 'open' || !filters.updatedSince || active.length >= limit) return active;
  return [...active, ...await pageQuery(db, dialect, status, filters, cursor, limit - active.length, 'closed').execute()];
}

/**
 * The list's order spelled so that no index matches it (opened_at is never null: the same value):
 * the closed-since part's activity bounds are filters, and conversations_by_closing drives it.
 * Written as activityAt, SQLite walked conversations_by_activity from the cursor down instead,
 * through the whole tab.
 */
const activityUnindexed = sql<string>`COALESCE(${sql.ref('conversations.last_message_at')}, ${sql.ref('conversations.opened_at')}, '')`;

/**
 * A page of one tab, as a query (the tests read its plan). With `updatedSince`, `part` says which
 * of its two ranges (tabPage): `active`, the conversations with activity since; `closed`, those
 * closed since with older activity.
 */
export function pageQuery(db: Executor, dialect: Dialect, status: Status, filters: Filters, cursor: { at: string; id: string } | null, limit: number, part: 'active' | 'closed' = 'active') {
  let q = db.selectFrom('conversations').innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    // The preview: the latest message, by its primary key (kept with last_message_at, migration 073).
    .leftJoin('messages as last', 'last.id', 'conversations.last_message_id')
    .selectAll('conversations')
    .select(['contacts.first_name', 'contacts.last_name', 'contacts.phone', 'contacts.email', 'contacts.tags', 'contacts.fields', 'contacts.lifecycle', 'contacts.created_at', 'contacts.updated_at'])
    .select(['last.id as last_id', 'last.direction as last_direction', 'last.kind as last_kind', 'last.author_type as last_author_type', 'last.author_id as last_author_id',
      'last.author_name as last_author_name', 'last.text as last_text', 'last.created_at as last_created_at',
      'last.delivery_status as last_delivery_status', 'last.delivery_error as last_delivery_error', 'last.external_id as last_external_id', 'last.delivery_updated_at as last_delivery_updated_at'])
    .select(activityAt.as('activity_at'))
    // Where it lives (inboxKind) and the reader's unread count, as subqueries by primary key: as
    // joins, PostgreSQL's planner weighed two more join orders on every request (+0.5 ms a page).
    .select(connectionKind.as('via_kind'))
    .$if(filters.reader !== undefined, (qb) => qb.select(unreadCount(filters.reader!).as('unread')))
    // The message the search found here (message-search.ts), for the page's rows only.
    .select(filters.qMatched && filters.q ? latestMatch(dialect, filters.q).as('match_id') : sql<null>`NULL`.as('match_id'))
    // A literal: the planner sees which part of the index the page is in.
    .where('conversations.status', '=', sql.lit(status));
  if (filters.contactId) q = q.where('conversations.contact_id', '=', filters.contactId);
  if (filters.assigneeId !== undefined) q = q.where(assigneeIs(filters.assigneeId));
  if (filters.q) q = q.where(filters.qMatched ? inMatched(dialect, filters.q) : contactMatches(dialect, filters.q));
  if (filters.channel) q = q.where(channelIs(filters.channel));
  if (filters.unread && filters.reader) q = q.where(hasUnread(filters.reader));
  const closedPart = !!filters.updatedSince && part === 'closed';
  if (filters.updatedSince) {
    q = closedPart
      ? q.where('conversations.closed_at', '>=', filters.updatedSince).where(sql<boolean>`${activityUnindexed} < ${filters.updatedSince}`)
      : q.where(sql<boolean>`${activityAt} >= ${filters.updatedSince}`);
  }
  // (activity, id) < (at, id), spelled out: SQLite seeks an expression index column with `<=`, not
  // with a row value (it would read the tab from its newest row on and skip up to the cursor).
  if (cursor) {
    const at = closedPart ? activityUnindexed : activityAt;
    q = q.where(sql<boolean>`${at} <= ${cursor.at}`)
      .where(sql<boolean>`(${at} < ${cursor.at} OR ${sql.ref('conversations.id')} < ${cursor.id})`);
  }
  return q.orderBy(activityAt, 'desc').orderBy('conversations.id', 'desc').limit(limit);
}

async function countOf(db: Executor, dialect: Dialect, status: Status | undefined, filters: Filters): Promise<number> {
  const row = await countQuery(db, dialect, status, filters).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The count of a tab (or both) with the filters, as a query (the tests read its plan). */
export function countQuery(db: Executor, dialect: Dialect, status: Status | undefined, filters: Filters) {
  let q = db.selectFrom('conversations').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (status) q = q.where('conversations.status', '=', sql.lit(status));
  // Both tabs, said: each side of changedSince's OR is then a range of an index that leads with status.
  else if (filters.updatedSince) q = q.where('conversations.status', 'in', STATUSES.map((s) => sql.lit(s)));
  if (filters.contactId) q = q.where('conversations.contact_id', '=', filters.contactId);
  if (filters.assigneeId !== undefined) q = q.where(assigneeIs(filters.assigneeId));
  if (filters.q && filters.qMatched) q = q.where(inMatched(dialect));
  else if (filters.q) q = q.innerJoin('contacts', 'contacts.id', 'conversations.contact_id').where(contactMatches(dialect, filters.q));
  if (filters.updatedSince) q = q.where(changedSince(status, filters.updatedSince));
  if (filters.channel) q = q.where(channelIs(filters.channel));
  if (filters.unread && filters.reader && dialect === 'postgres') {
    const reader = filters.reader;
    return q.leftJoin('conversation_reads as unread_seen', (join) => join.onRef('unread_seen.conversation_id', '=', 'conversations.id').on('unread_seen.user_id', '=', reader.id))
      .where(hasUnreadJoined(reader));
  }
  if (filters.unread && filters.reader) q = q.where(hasUnread(filters.reader));
  return q;
}

/**
 * `updatedSince` as the count's filter: a message (the activity time), opening or closing at or
 * after it. No column keeps an assignment's time, so an assignment alone does not count. An open
 * conversation has no closed_at: its tab keeps to the activity, a range of conversations_by_activity;
 * the closed tab's is the union of that range and one of conversations_by_closing (migration 084),
 * never a read of the whole tab. A page reads the two apart, in order (tabPage).
 */
function changedSince(status: Status | undefined, since: string) {
  const active = sql<boolean>`${activityAt} >= ${since}`;
  return status === 'open' ? active : sql<boolean>`(${active} OR ${sql.ref('conversations.closed_at')} >= ${since})`;
}

/** Index conversations_by_assignee (assignee_id, status, activity, id) of migration 072 serves both forms. */
const assigneeIs = (assigneeId: string | null) => (assigneeId === null
  ? sql<boolean>`${sql.ref('conversations.assignee_id')} IS NULL`
  : sql<boolean>`${sql.ref('conversations.assignee_id')} = ${assigneeId}`);

export type Row = Awaited<ReturnType<ReturnType<typeof pageQuery>['execute']>>[number];

/** The kind of the conversation's connection (null: none, or a Chatwoot account's row gone once disconnected). */
const connectionKind = sql<string | null>`(SELECT via.kind FROM connections AS via WHERE via.id = ${sql.ref('conversations.connection_id')})`;

/**
 * A conversation that lives in a Chatwoot account, connected or not: one on a connection that is
 * not a WhatsApp number or Page of the companion's (deleting those takes their conversations off
 * the connection: channels/disconnected.ts; a disconnected Chatwoot account's keep it).
 */
const livesInChatwoot = (r: Row) => !!r.connection_id && !(r.via_kind && (CHANNEL_KINDS as readonly string[]).includes(r.via_kind));

const toItem = (r: Row): ConversationListItem => ({
  ...toConversation(r),
  contact: toContact({ ...r, id: r.contact_id }),
  lastActivityAt: r.activity_at,
  ...(r.unread !== undefined && r.unread !== null ? { unread: Math.min(Number(r.unread), UNREAD_COUNT_CAP) } : {}),
  inboxKind: livesInChatwoot(r) ? 'chatwoot' : null,
  lastMessage: r.last_id === null ? null : {
    id: r.last_id, direction: r.last_direction as LastMessage['direction'], kind: r.last_kind as LastMessage['kind'],
    author: { type: r.last_author_type as LastMessage['author']['type'], id: r.last_author_id, ...(r.last_author_name ? { name: r.last_author_name } : {}) },
    text: r.last_text ?? '', createdAt: r.last_created_at ?? r.activity_at,
    // A reply that failed shows as failed in the list too (the thread's words for why).
    ...(r.last_delivery_status ? { delivery: {
      status: r.last_delivery_status as MessageDelivery['status'], error: explainMetaError(r.last_delivery_error ?? null),
      externalId: r.last_external_id ?? null, updatedAt: r.last_delivery_updated_at ?? null,
    } } : {}),
  },
});

/**
 * `assigneeId` of GET /conversations as a filter: `me` is the caller (a user; an app key is
 * no one), `none` unassigned, anything else a user who must exist: a typo is a 422 saying what
 * the parameter takes, not an empty list read as "nothing assigned to them".
 */
export async function assigneeFilter(db: Executor, value: string | undefined, callerId: string | null): Promise<string | null | undefined> {
  if (value === undefined) return undefined;
  if (value === ASSIGNEE_NONE) return null;
  const where = [{ path: 'querystring.assigneeId', message: ASSIGNEE_FILTER_HINT }];
  if (value === ASSIGNEE_ME) {
    if (!callerId) throw new HttpError(422, 'invalid_content', 'assigneeId=me names the signed-in user; an app key is none. Give a user\'s id', where);
    return callerId;
  }
  const user = await db.selectFrom('users').select('id').where('id', '=', value).executeTakeFirst();
  if (!user) throw new HttpError(422, 'invalid_content', `No user ${value}: ${ASSIGNEE_FILTER_HINT}`, where);
  return value;
}
