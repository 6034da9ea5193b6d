import { sql } from 'kysely';
import type { Run } from '../../../lib/contracts/runs';
import { TriggerType } from '../../../lib/contracts/triggers';
import { notFound } from '../../http-error';
import type { Services } from '../../services';
import type { Dialect, Executor } from '../../store/database';
import { containsText } from '../../store/contains-text';
import { openStored } from '../../secrets/at-rest';
import type { z } from 'zod';
import type { WorkflowSummaryList } from '../../../lib/contracts/workflow';
import { decodeWorkflowCursor, encodeWorkflowCursor, type WorkflowListQuery } from '../../../lib/contracts/workflow-list';
import { byName, nameCollator } from '../../../lib/workflow/name-order';
import { lastRunTimes } from './last-runs';
import { toRun, toWorkflow } from './records';

// Read side of the Workflow API. The list adds what the options page's table shows.
export { WorkflowSummary, WorkflowSummaryList } from '../../../lib/contracts/workflow';

/** The workflows GET /workflows' `q`, `status` and `trigger` match (a workspace has hundreds: a substring reads them all). */
function filtered(db: Executor, dialect: Dialect, query: Pick<WorkflowListQuery, 'q' | 'status' | 'trigger'>) {
  let q = db.selectFrom('workflows');
  if (query.q) q = q.where(containsText(dialect, sql.ref('workflows.name'), query.q));
  if (query.status) q = q.where('status', '=', query.status);
  if (query.trigger) q = q.where('trigger_type', '=', query.trigger);
  return q;
}

/**
 * GET /workflows: a page by name, then id, in the reader's order (lib/workflow/name-order.ts:
 * any case, numbers by value; `locales` from Accept-Language), the order the options page's
 * pickers sort in. SQL cannot sort so on both stores (text compares by bytes, migration 066:
 * "Flow 10" before "Flow 2", "Zeta" before "alpha"), and no index served the name order anyway:
 * every match was sorted, and counted for `total`. So the matches' names and ids are read and
 * sorted here, and the page's rows read by id. The cursor names the page's last row by name and
 * id: the next page starts after it in that order, whatever was added or deleted meanwhile.
 */
export async function listWorkflowSummaries(services: Services, query: WorkflowListQuery, locales: readonly string[] = []): Promise<z.infer<typeof WorkflowSummaryList>> {
  const { db } = services;
  const order = byName(nameCollator(locales));
  const cursor = query.cursor ? decodeWorkflowCursor(query.cursor) : null;
  const matches = (await filtered(db, services.store.dialect, query).select(['id', 'name']).execute()).sort(order);
  const start = cursor ? matches.findIndex((w) => order(w, cursor) > 0) : 0;
  const picked = start < 0 ? [] : matches.slice(start, start + query.limit);
  const rows = picked.length ? await db.selectFrom('workflows').selectAll().where('id', 'in', picked.map((w) => w.id)).execute() : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  // One deleted between the two reads is left out; the cursor still names where the page ended.
  const page = picked.flatMap((w) => byId.get(w.id) ?? []);
  const last = await lastRunTimes(db, page.map((r) => r.id));
  const end = picked.at(-1);
  return {
    workflows: page.map((row) => ({
      ...toWorkflow(row, services.config.publicUrl, (t) => openStored(services.vault, t)),
      triggerType: TriggerType.parse(row.trigger_type),
      lastRunAt: last.get(row.id) ?? null,
    })),
    nextCursor: start >= 0 && start + query.limit < matches.length && end ? encodeWorkflowCursor({ name: end.name, id: end.id }) : null,
    total: matches.length,
  };
}

export async function getRun(db: Executor, id: string): Promise<Run> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Run ${id}`);
  return toRun(row);
}
