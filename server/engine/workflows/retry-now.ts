import type { Run } from '../../../lib/contracts/runs';
import { waitsToRetry } from '../../../lib/workflow/waits-to-retry';
import { HttpError } from '../../http-error';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { getRun } from './queries';

/**
 * "Try now" for a run waiting to try a step again (step-retry.ts): once the admin has fixed
 * what failed (Chatwoot is back, Meta's incident is over), the step need not wait out its delay.
 * It wakes at once and counts as its next try. 409 for any other run: a Wait step or a question
 * keeps its own time.
 */
export async function retryNow(services: Services, id: string): Promise<Run> {
  const run = await getRun(services.db, id);
  if (!waitsToRetry(run)) {
    throw new HttpError(409, 'not_retrying', `Run ${id} is not waiting to try a step again (it is ${run.status}); only such a run can be tried now`);
  }
  // Only while it still waits: the executor may have taken it meanwhile.
  await services.db.updateTable('runs').set({ wake_at: nowIso() }).where('id', '=', id).where('status', '=', 'waiting').execute();
  services.runSignal.notify();
  return getRun(services.db, id);
}
