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
 * GET /workflows: a page by name, then id (keyset: the rows after the cursor's name and id), one
 * extra row telling whether there is a next page. Names compare by bytes on both stores
 * (migration 066), as the cursor does. Last runs are read for the page's workflows only.
 * `total` counts what the filters match; a first page that holds them all is its own count.
 */
export async function listWorkflowSummaries(services: Services, query: WorkflowListQuery): Promise<z.infer<typeof WorkflowSummaryList>> {
  const { db } = services;
  const dialect = services.store.dialect;
  const cursor = query.cursor ? decodeWorkflowCursor(query.cursor) : null;
  let q = filtered(db, dialect, query).selectAll();
  if (cursor) q = q.where((eb) => eb.or([eb('name', '>', cursor.name), eb.and([eb('name', '=', cursor.name), eb('id', '>', cursor.id)])]));
  const rows = await q.orderBy('name').orderBy('id').limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  const counted = cursor || rows.length > query.limit
    ? await filtered(db, dialect, query).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst()
    : { n: page.length };
  const last = await lastRunTimes(db, page.map((r) => r.id));
  const end = page.at(-1);
  return {
    workflows: page.map((row) => ({
      ...toWorkflow(row, services.config.publicUrl, (t) => openStored(services.vault, t)),
      triggerType: TriggerType.parse(row.trigger_type),
      lastRunAt: last.get(row.id) ?? null,
    })),
    nextCursor: rows.length > query.limit && end ? encodeWorkflowCursor({ name: end.name, id: end.id }) : null,
    total: Number(counted?.n ?? 0),
  };
}

export async function getRun(db: Executor, id: string): Promise<Run> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Run ${id}`);
  return toRun(row);
}
