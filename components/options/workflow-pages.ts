import { z } from 'zod';
import { TriggerType } from '../../lib/contracts/triggers';
import { WorkflowStatus, WorkflowSummaryList } from '../../lib/contracts/workflow';
import { refusedByOlderServer, request } from './api';
import { byReaderName } from './reader-order';
import type { WorkflowSummary } from './schemas';

// GET /workflows, read by the options page: a page at a time with the search and filters for the
// Workflows list, every page for the pickers. A server older than the extension (the Web Store
// updates it first) either refuses `limit` and the filters (422, since unknown parameters were
// refused) or, older still, ignores them and answers the whole list with no `nextCursor`. Then it
// is asked as it was then, and the search, filters and pages are done here on the whole list.

/** What the Workflows list shows: `q` as typed (trimmed when sent), '' for any status or trigger. */
export const WorkflowFilters = z.object({ q: z.string().max(100), status: WorkflowStatus.or(z.literal('')), trigger: TriggerType.or(z.literal('')) });
export type WorkflowFilters = z.infer<typeof WorkflowFilters>;
export const NO_FILTERS: WorkflowFilters = { q: '', status: '', trigger: '' };
export const isFiltered = (f: WorkflowFilters) => f.q.trim() !== '' || f.status !== '' || f.trigger !== '';

/** Rows the list shows first and adds with each "Load more". */
export const WORKFLOW_PAGE = 50;

/** An answer of this server or an older one: before paging it had no `nextCursor`, before filters no `total`. */
const AnyWorkflowPage = WorkflowSummaryList.partial({ nextCursor: true, total: true });

/** Only the parameters in use: a server that pages but does not filter still answers the unfiltered list. */
export function workflowListPath(filters: WorkflowFilters, cursor?: string, limit = WORKFLOW_PAGE): string {
  const query = new URLSearchParams({ limit: String(limit) });
  const q = filters.q.trim();
  if (q) query.set('q', q);
  if (filters.status) query.set('status', filters.status);
  if (filters.trigger) query.set('trigger', filters.trigger);
  if (cursor) query.set('cursor', cursor);
  return `/workflows?${query}`;
}

/**
 * Every workflow, by name: GET /workflows pages (200 a page, the most it gives), followed to the
 * last, so a workspace with hundreds of them lists (and picks from) all of them. `olderServer`:
 * it was read the way a server older than the extension answers.
 */
export async function allWorkflows(): Promise<{ workflows: WorkflowSummary[]; olderServer: boolean }> {
  let olderServer = false;
  const workflows: WorkflowSummary[] = [];
  let cursor: string | null = null;
  do {
    const path: string = olderServer ? `/workflows?cursor=${encodeURIComponent(cursor ?? '')}` : workflowListPath(NO_FILTERS, cursor ?? undefined, 200);
    const page = await request(AnyWorkflowPage, 'GET', path).catch(async (err: unknown) => {
      // Refused `limit`: asked again as it was asked before paging (no parameters).
      if (cursor || !refusedByOlderServer(err)) throw err;
      olderServer = true;
      return request(AnyWorkflowPage, 'GET', '/workflows');
    });
    workflows.push(...page.workflows);
    // No nextCursor at all: the whole list, from a server that did not page yet.
    if (page.nextCursor === undefined) olderServer = true;
    // A server that answered the cursor it was given would loop: its last page is taken as the end.
    cursor = !page.nextCursor || page.nextCursor === cursor ? null : page.nextCursor;
  } while (cursor);
  // An older server's list came in its own order (by bytes: "Zeta" before "alpha"); this one's
  // pages are in this order already, which the pickers and the list shown here then share.
  return { workflows: workflows.sort(byReaderName), olderServer };
}

/** Where the next page starts: the server's cursor, or (an older server's whole list) a row number here. */
export type PageParam = { cursor: string } | { offset: number };
export interface WorkflowListPage {
  workflows: WorkflowSummary[];
  /** Every workflow the filters match; null from a server that pages but does not count. */
  total: number | null;
  next: PageParam | null;
  /** Searched, filtered and paged here, the server being older than the extension. */
  olderServer: boolean;
}

/** A page searched and filtered by the server; null when the server is older and cannot. */
export async function serverPage(filters: WorkflowFilters, cursor?: string): Promise<WorkflowListPage | null> {
  try {
    const page = await request(AnyWorkflowPage, 'GET', workflowListPath(filters, cursor));
    if (page.nextCursor === undefined) return null;
    return { workflows: page.workflows, total: page.total ?? null, next: page.nextCursor ? { cursor: page.nextCursor } : null, olderServer: false };
  } catch (err) {
    if (refusedByOlderServer(err)) return null;
    throw err;
  }
}

// As the server's `q`: part of the name, ignoring the case of A–Z only (SQLite's LIKE, PostgreSQL's ILIKE on "C").
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The server's filters, applied here to an older server's whole list. */
export function matchesFilters(w: WorkflowSummary, filters: WorkflowFilters): boolean {
  const q = foldAscii(filters.q.trim());
  return (!q || foldAscii(w.name).includes(q))
    && (!filters.status || w.status === filters.status)
    && (!filters.trigger || w.trigger.type === filters.trigger);
}

/** A page of an older server's whole list, searched and filtered here. */
export function localPage(all: readonly WorkflowSummary[], filters: WorkflowFilters, offset: number): WorkflowListPage {
  const matching = all.filter((w) => matchesFilters(w, filters));
  const end = offset + WORKFLOW_PAGE;
  return { workflows: matching.slice(offset, end), total: matching.length, next: end < matching.length ? { offset: end } : null, olderServer: true };
}
