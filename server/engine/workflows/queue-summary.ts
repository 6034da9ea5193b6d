import { sql } from 'kysely';
import type { RunQueueSummary, StepLogEntry } from '../../../lib/contracts/runs';
import { waitsToRetry } from '../../../lib/workflow/waits-to-retry';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { fromJson, type Executor } from '../../store/database';
import { behindCounts } from './waiting-behind';

// Each count reads one of the runs table's partial indexes (runs_ready, runs_leased,
// runs_waking), never the whole history.

/** Waiting runs whose last log entry is a retry: the text filter narrows, the last entry decides. */
async function retryingIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('runs').select(['id', 'step_log']).where('status', '=', 'waiting')
    .where('step_log', 'like', '%"status":"retrying"%').execute();
  return rows.filter((r) => waitsToRetry({ status: 'waiting', stepLog: fromJson<StepLogEntry[]>(r.step_log, []) })).map((r) => r.id);
}

export async function queueSummary(db: Executor): Promise<RunQueueSummary> {
  const ready = await db.selectFrom('runs').select([sql<number | string>`count(*)`.as('n'), sql<string | null>`min(id)`.as('oldest')])
    .where('status', '=', 'queued').where('blocked', '=', 0).executeTakeFirstOrThrow();
  const oldest = ready.oldest ? await db.selectFrom('runs').select('created_at').where('id', '=', ready.oldest).executeTakeFirst() : undefined;
  const count = async (status: 'running' | 'waiting') => Number((await db.selectFrom('runs').select(sql<number | string>`count(*)`.as('n'))
    .where('status', '=', status).executeTakeFirstOrThrow()).n);
  const { behind, unmarked } = await behindCounts(db);
  const free = Math.max(0, Number(ready.n) - unmarked);
  return {
    // The oldest in runs_ready may be one of the unmarked: with none free, none is oldest.
    ready: free, waitingBehind: behind, oldestReadyAt: free > 0 ? oldest?.created_at ?? null : null,
    running: await count('running'), waiting: await count('waiting'), retrying: (await retryingIds(db)).length,
  };
}

/**
 * "Try them all now" once the outside system is back: every run waiting to try a step again
 * wakes at once (see retry-now.ts for one run).
 */
export async function retryAllNow(services: Services): Promise<{ woken: number }> {
  const ids = await retryingIds(services.db);
  if (ids.length === 0) return { woken: 0 };
  let woken = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await services.db.updateTable('runs').set({ wake_at: nowIso() })
      .where('id', 'in', ids.slice(i, i + 500)).where('status', '=', 'waiting').executeTakeFirst();
    woken += Number(r.numUpdatedRows);
  }
  services.runSignal.notify();
  return { woken };
}
