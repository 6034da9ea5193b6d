import type { StepLogEntry } from '../../lib/contracts/runs';
import { launcherOf } from '../engine/workflows/launched-by';
import type { Services } from '../services';
import { fromJson, toJson } from '../store/database';

/** Begins every note of a late refusal: the same note is never written twice. */
export const LATE_NOTE = 'WhatsApp refused the message later';

const ENDED = ['completed', 'failed', 'cancelled'];

/**
 * Changes the run's log entry of the step that sent the message (its send key: `run:step`,
 * `:n` for its n-th execution after a jump back; engine/executor/step-start.ts): `amend` edits the
 * entry and says whether it changed anything. A run an instance is executing keeps its log in
 * memory and writes it whole at the checkpoint, so it is not written then (false: try again
 * later); any other state's log is written only if it is still the one read (a claim that raced
 * this reads the new one: claims take the row with UPDATE … RETURNING).
 * True when written, nothing to change, or nothing to write to (the run was deleted).
 */
export async function amendStep(services: Services, sendKey: string, amend: (entry: StepLogEntry, runEnded: boolean) => boolean): Promise<boolean> {
  const [runId = '', stepId = '', nth = '1'] = sendKey.split(':');
  for (let attempt = 0; attempt < 3; attempt++) {
    const run = await services.db.selectFrom('runs').select(['id', 'workflow_id', 'status', 'step_log', 'error', 'variables']).where('id', '=', runId).executeTakeFirst();
    if (!run) return true;
    if (run.status === 'running') return false;
    const log = fromJson<StepLogEntry[]>(run.step_log, []);
    const entry = log.filter((e) => e.stepId === stepId && e.status !== 'retrying')[Number(nth) - 1];
    if (!entry) return run.status !== 'queued';
    if (!amend(entry, ENDED.includes(run.status))) return true;
    const written = await services.db.updateTable('runs').set({ step_log: toJson(log) })
      .where('id', '=', run.id).where('status', '=', run.status).where('step_log', '=', run.step_log).executeTakeFirst();
    if (Number(written.numUpdatedRows) !== 1) continue;
    services.live.publish({ type: 'run.updated', runId: run.id, workflowId: run.workflow_id, status: run.status, error: run.error, launchedBy: launcherOf(run.variables) });
    return true;
  }
  return false;
}
