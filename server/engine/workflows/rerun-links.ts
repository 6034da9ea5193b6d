import type { Run } from '../../../lib/contracts/runs';
import type { Executor } from '../../store/database';
import { withFailedSteps } from './rerun-from';

/**
 * The run history's links between failed runs and their reruns, for a whole page at once: which
 * of its runs were run again (`rerunAs`: one statement, a probe of runs_rerun_of per run) and who
 * ran its reruns (`rerunBy`, named as they are now: one read of users, only for a page that has
 * reruns), the version each rerun's failed run ran (`rerunOfVersion`: what it was run with, beside
 * its own `workflowVersion`; one read by primary key, only for a page that has reruns), and where
 * each failed run may run again from (`failedStep`: rerun-from.ts). `rows[i]` is the stored row of `runs[i]`.
 */
export async function withRerunLinks(db: Executor, rows: readonly { id: string; rerun_by?: string | null; rerun_of?: string | null }[], runs: Run[]): Promise<Run[]> {
  if (rows.length === 0) return runs;
  const again = await db.selectFrom('runs').select(['id', 'rerun_of']).where('rerun_of', 'in', rows.map((r) => r.id)).execute();
  const byIds = [...new Set(rows.flatMap((r) => (r.rerun_by ? [r.rerun_by] : [])))];
  const people = byIds.length > 0 ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', byIds).execute() : [];
  const ofIds = [...new Set(rows.flatMap((r) => (r.rerun_of ? [r.rerun_of] : [])))];
  const originals = ofIds.length > 0 ? await db.selectFrom('runs').select(['id', 'workflow_version']).where('id', 'in', ofIds).execute() : [];
  const rerunAs = new Map(again.map((a) => [a.rerun_of, a.id]));
  const names = new Map(people.map((u) => [u.id, u.name]));
  const ranVersion = new Map(originals.map((o) => [o.id, o.workflow_version]));
  return withFailedSteps(db, runs.map((run, i) => {
    const by = rows[i]?.rerun_by;
    const as = rerunAs.get(run.id);
    const ofVersion = run.rerunOf ? ranVersion.get(run.rerunOf) : undefined;
    return {
      ...run, ...(as ? { rerunAs: as } : {}), ...(by ? { rerunBy: { id: by, name: names.get(by) ?? by } } : {}),
      ...(ofVersion !== undefined ? { rerunOfVersion: ofVersion } : {}),
    };
  }));
}
