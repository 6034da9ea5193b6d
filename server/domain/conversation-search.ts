import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect, Executor } from '../store/database';
import { contactMatches } from './contact-search';
import { hitsCapped, holdsMatch, messageHits } from './message-search';
import { countQuery, pageQuery, type Filters, type Row, type Status } from './conversation-list';

/**
 * The conversation's contact is one the search matched: the CTE `matched` of searchPages' statement,
 * as a hashed list each conversation is looked up in. A page then still reads its tab from the index
 * in the list's order and stops at its last row, and the count reads the conversations once. Driven
 * by the ids instead (SQLite: conversations_by_contact once per id; PostgreSQL: a semi-join, then a
 * sort), a search most contacts match ("a") sorted every conversation of the tab and probed the
 * index 60,000 times (15 → 250 ms at 60k contacts). SQLite's unary + and PostgreSQL's IS TRUE keep
 * the planners from that.
 */
export function inMatched(dialect: Dialect, pageOf?: string): RawBuilder<SqlBool> {
  const contact = sql.ref('conversations.contact_id');
  const id = sql.ref('conversations.id');
  // A page (pageOf: its q) also takes a match beyond a full `hits`; the count does not (message-search.ts hitsCapped).
  const beyond = pageOf ? sql` OR (${hitsCapped} AND ${holdsMatch(dialect, pageOf)})` : sql``;
  return dialect === 'postgres'
    ? sql<SqlBool>`(${contact} IN (SELECT id FROM matched) OR ${id} IN (SELECT conversation_id FROM hits)${beyond}) IS TRUE`
    : sql<SqlBool>`(+${contact} IN (SELECT id FROM matched) OR +${id} IN (SELECT conversation_id FROM hits)${beyond})`;
}

/**
 * GET /conversations?q=: the pages of the tabs and the count in one statement, over the contacts
 * the text matches read once (the CTE `matched`). A substring has no index, so each page and the
 * count reading contacts again scanned the table two or three times per request (58–339 ms at 85k
 * contacts on PostgreSQL). The closed tab's second range under `updatedSince` (tabPage) is read in
 * the same statement and used only when the first falls short. The count's row comes even when
 * nothing matches (the pages are left-joined to it). The outer ORDER BY states each part's order:
 * a subquery's own ORDER BY orders only what its LIMIT keeps, and neither SQL nor either planner
 * promises it survives UNION ALL and the join (a page cut at the wrong row). It sorts the parts'
 * rows only (at most a page and one each), after each part is read from its index in order.
 */
export async function searchPages(db: Executor, dialect: Dialect, statuses: readonly Status[], filters: Filters, cursor: { at: string; id: string } | null, limit: number): Promise<[Row[][], number, boolean]> {
  const { parts, query } = searchPagesQuery(db, dialect, statuses, filters, cursor, limit);
  const { rows } = await query.execute(db);
  const byPart = parts.map((_, i) => rows.filter((r) => r.part_no === i));
  const tabs = statuses.map((status) => {
    const at = parts.findIndex(([s]) => s === status);
    const active = byPart[at]!;
    // As tabPage: the closed-since range only after a short first range, up to the page's size.
    return parts[at + 1]?.[0] === status && active.length < limit ? [...active, ...byPart[at + 1]!.slice(0, limit - active.length)] : active;
  });
  return [tabs, Number(rows[0]?.total_n ?? 0), !!Number(rows[0]?.total_capped ?? 0)];
}

type Part = [Status, 'active' | 'closed'];

/** searchPages' statement and the parts it reads (a tab, or the closed tab's two ranges); exported for the plan tests. */
export function searchPagesQuery(db: Executor, dialect: Dialect, statuses: readonly Status[], filters: Filters, cursor: { at: string; id: string } | null, limit: number) {
  const matched = db.selectFrom('contacts').select('contacts.id').where(contactMatches(dialect, filters.q ?? ''));
  const hits = messageHits(db, dialect, filters.q ?? '');
  const resolved: Filters = { ...filters, qMatched: true };
  const parts: Part[] = statuses.flatMap((status): Part[] => (status === 'closed' && filters.updatedSince ? [[status, 'active'], [status, 'closed']] : [[status, 'active']]));
  const pages = parts.map(([status, part], i) => sql`SELECT ${sql.lit(i)} AS part_no, p.* FROM ${pageQuery(db, dialect, status, resolved, cursor, limit, part)} AS p`);
  const query = sql<Row & { part_no: number | null; total_n: number | string; total_capped: number | boolean }>`WITH matched AS MATERIALIZED ${matched}, hits AS MATERIALIZED ${hits}
    SELECT total.n AS total_n, ${hitsCapped} AS total_capped, pages.* FROM ${countQuery(db, dialect, statuses.length === 1 ? statuses[0] : undefined, resolved)} AS total
    LEFT JOIN (${sql.join(pages, sql` UNION ALL `)}) AS pages ON 1 = 1
    ORDER BY pages.part_no, pages.activity_at DESC, pages.id DESC`;
  return { parts, query };
}

