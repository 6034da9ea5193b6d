import { z } from 'zod';
import { Run, RunList } from '../../../lib/contracts/runs';
import { TriggerType } from '../../../lib/contracts/triggers';
import { notFound } from '../../http-error';
import type { Services } from '../../services';
import type { Executor } from '../../store/database';
import { openStored } from '../../secrets/at-rest';
import { toRun, toWorkflow } from './records';

// Read side of the Workflow API. The list adds what the options page's table shows.
import { WorkflowSummary } from '../../../lib/contracts/workflow';
export { WorkflowSummary, WorkflowSummaryList } from '../../../lib/contracts/workflow';

export const RunsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  /** Runs older than this run id (ids sort by creation). */
  before: z.string().max(100).optional(),
  status: Run.shape.status.optional(),
});
export type RunsQuery = z.infer<typeof RunsQuery>;

export async function listWorkflowSummaries(services: Services): Promise<WorkflowSummary[]> {
  const { db } = services;
  const rows = await db.selectFrom('workflows').selectAll().orderBy('name').orderBy('id').execute();
  const lastRuns = await db.selectFrom('runs').select(['workflow_id', (eb) => eb.fn.max('created_at').as('last')])
    .groupBy('workflow_id').execute();
  const last = new Map(lastRuns.map((r) => [r.workflow_id, r.last]));
  return rows.map((row) => ({
    ...toWorkflow(row, services.config.publicUrl, (t) => openStored(services.vault, t)),
    triggerType: TriggerType.parse(row.trigger_type),
    lastRunAt: last.get(row.id) ?? null,
  }));
}

export async function listRuns(db: Executor, workflowId: string, query: RunsQuery): Promise<RunList> {
  let q = db.selectFrom('runs').selectAll().where('workflow_id', '=', workflowId);
  if (query.before) q = q.where('id', '<', query.before);
  if (query.status) q = q.where('status', '=', query.status);
  const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
  return { runs: rows.map(toRun) };
}

export async function getRun(db: Executor, id: string): Promise<Run> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Run ${id}`);
  return toRun(row);
}
