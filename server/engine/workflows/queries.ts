import type { Run } from '../../../lib/contracts/runs';
import { TriggerType } from '../../../lib/contracts/triggers';
import { notFound } from '../../http-error';
import type { Services } from '../../services';
import type { Executor } from '../../store/database';
import { openStored } from '../../secrets/at-rest';
import { toRun, toWorkflow } from './records';

// Read side of the Workflow API. The list adds what the options page's table shows.
import { WorkflowSummary } from '../../../lib/contracts/workflow';
export { WorkflowSummary, WorkflowSummaryList } from '../../../lib/contracts/workflow';


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

export async function getRun(db: Executor, id: string): Promise<Run> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Run ${id}`);
  return toRun(row);
}
