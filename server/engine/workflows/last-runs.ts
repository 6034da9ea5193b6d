import type { Executor } from '../../store/database';

/**
 * When each of the workflows last started a run, by id (a workflow without runs is left out).
 * The newest run of each is the last entry of its range of runs_by_workflow (workflow_id, id):
 * run ids sort by creation time. One seek per workflow, however long the history: the
 * MAX(created_at) per workflow this replaces read every run of every listed workflow (0.8 s
 * for a page of 200 workflows with 300k runs).
 */
export async function lastRunTimes(db: Executor, workflowIds: readonly string[]): Promise<Map<string, string>> {
  if (workflowIds.length === 0) return new Map();
  const rows = await lastRunsQuery(db, workflowIds).execute();
  return new Map(rows.flatMap((r) => (r.last ? [[r.id, r.last] as const] : [])));
}

/** The statement; exported for the plan tests. */
export const lastRunsQuery = (db: Executor, workflowIds: readonly string[]) => db.selectFrom('workflows as w')
  .select((eb) => ['w.id', eb.selectFrom('runs').select('runs.created_at').whereRef('runs.workflow_id', '=', 'w.id')
    .orderBy('runs.id', 'desc').limit(1).as('last')])
  .where('w.id', 'in', [...workflowIds]);
