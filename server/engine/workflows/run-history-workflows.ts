import type { RunHistoryWorkflows } from '../../../lib/contracts/runs';
import { byName, nameCollator } from '../../../lib/workflow/name-order';
import { fromJson, type Executor } from '../../store/database';

// A deleted workflow's runs stay in the run history (the messages and changes they made stay
// too); its versions stay as well, so the name it had is still known. Deleted workflows are few
// and each is looked up by index (versions by workflow, runs_by_workflow): no scan of the runs.

/** Whether a workflow exists or once did (its versions outlive it): a wrong id is a 404, a deleted one has a history. */
export async function workflowKnown(db: Executor, id: string): Promise<boolean> {
  const live = await db.selectFrom('workflows').select('id').where('id', '=', id).executeTakeFirst();
  if (live) return true;
  return !!(await db.selectFrom('workflow_versions').select('workflow_id').where('workflow_id', '=', id).limit(1).executeTakeFirst());
}

/** Every workflow, and each deleted one that left runs, named as it was last saved; by name as GET /workflows lists them. */
export async function runHistoryWorkflows(db: Executor, locales: readonly string[] = []): Promise<RunHistoryWorkflows> {
  const live = await db.selectFrom('workflows').select(['id', 'name']).execute();
  const gone = await db.selectFrom('workflow_versions')
    .select(['workflow_id', (eb) => eb.fn.max('version').as('last')])
    .where('workflow_id', 'not in', db.selectFrom('workflows').select('id'))
    .where((eb) => eb.exists(eb.selectFrom('runs').select('runs.id').whereRef('runs.workflow_id', '=', 'workflow_versions.workflow_id')))
    .groupBy('workflow_id').execute();
  const deleted = await Promise.all(gone.map(async ({ workflow_id: id, last }) => {
    const version = await db.selectFrom('workflow_versions').select('definition')
      .where('workflow_id', '=', id).where('version', '=', Number(last)).executeTakeFirst();
    return { id, name: fromJson<{ name?: string }>(version?.definition, {}).name ?? id, deleted: true };
  }));
  const all = [...live.map((w) => ({ ...w, deleted: false })), ...deleted];
  return { workflows: all.sort(byName(nameCollator(locales))) };
}
