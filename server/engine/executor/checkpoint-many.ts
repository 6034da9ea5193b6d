import { sql, type RawBuilder } from 'kysely';
import type { UnitOfWork } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { runShaped, toColumns } from '../../store/compiled-sql';
import { checkpointSet, LeaseLostError, type RunFence } from './checkpoint';
import type { NextState } from './transition';
import { launcherOf } from '../workflows/launched-by';
import { hasRunLine, writeRunLines } from './run-activity';

/** A run's state after its part of a round, written with the others at the round's end (`since`: its log's length before the round's steps). */
export interface PendingCheckpoint { fence: RunFence; next: NextState; since?: number }

/**
 * The checkpoints of a round's runs in one statement (UPDATE … FROM VALUES) instead of one per
 * run: the same columns and the same fences as checkpoint(), a round trip less per run on
 * PostgreSQL. Throws LeaseLostError when any run is not held as expected (the round then rolls
 * back whole, as a failed single checkpoint would). Ended runs are handed to `ended` (their
 * pairs' next runs are released together by the caller).
 *
 * `fromQueued`: the runs were picked queued in this transaction (SQLite queued rounds); the
 * write also takes them (owner, attempts, lease), as checkpoint's fromQueued does.
 */
export async function checkpointMany(
  uow: UnitOfWork, services: Services, owner: string, items: PendingCheckpoint[], ended: (fence: RunFence) => void,
  fromQueued?: { leaseUntil: string }, { deferred = false }: { deferred?: boolean } = {},
): Promise<void> {
  if (items.length === 0) return;
  const now = nowIso();
  const rowsOf = items.map(({ fence, next }) => {
    const set = checkpointSet(next, now);
    return [fence.id, fence.attempts, set.status, set.cursor, set.variables, set.step_log, set.jumps, set.wake_at, set.error, set.ended_at];
  });
  const postgres = services.store.dialect === 'postgres';
  let params: unknown[];
  // Built only when the shape is compiled (its first time): on SQLite a fragment per value.
  let source: () => RawBuilder<unknown>;
  if (postgres) {
    // One array per column: the text is the same for any number of runs, so one prepared
    // statement and one plan (a VALUES list made a text, and its plans, per count).
    const columns = toColumns(rowsOf);
    params = columns;
    const [id, attempts, status, cursor, variables, stepLog, jumps, wakeAt, error, endedAt] = columns;
    source = () => sql`SELECT * FROM unnest(${id}::text[], ${attempts}::int[], ${status}::text[], ${cursor}::int[], ${variables}::text[],
      ${stepLog}::text[], ${jumps}::int[], ${wakeAt}::text[], ${error}::text[], ${endedAt}::text[])
      AS v(id, attempts, status, "cursor", variables, step_log, jumps, wake_at, error, ended_at)`;
  } else {
    params = rowsOf.flat();
    source = () => sql`VALUES ${sql.join(rowsOf.map(([id, attempts, status, cursor, variables, stepLog, jumps, wakeAt, error, endedAt]) =>
      // Typed, so the columns of a VALUES list are not guessed (and NULLs have a type).
      sql`(CAST(${id} AS TEXT), CAST(${attempts} AS INTEGER), CAST(${status} AS TEXT), CAST(${cursor} AS INTEGER), CAST(${variables} AS TEXT),
      CAST(${stepLog} AS TEXT), CAST(${jumps} AS INTEGER), CAST(${wakeAt} AS TEXT), CAST(${error} AS TEXT), CAST(${endedAt} AS TEXT))`))}`;
  }
  // A waiting or ended run holds no lease; lease_owner stays as a record of who ran it last.
  const take = fromQueued
    ? sql`, lease_until = CASE WHEN v.status = 'running' THEN ${fromQueued.leaseUntil} ELSE NULL END, lease_owner = ${owner}, attempts = v.attempts`
    : sql`, lease_until = CASE WHEN v.status = 'running' THEN runs.lease_until ELSE NULL END`;
  const held = fromQueued
    ? sql`runs.attempts = v.attempts - 1 AND runs.status = 'queued'`
    : sql`runs.lease_owner = ${owner} AND runs.attempts = v.attempts AND runs.status = 'running'`;
  params.push(now, ...(fromQueued ? [fromQueued.leaseUntil, owner] : [owner]));
  if (deferred && postgres && fromQueued) {
    // PostgreSQL queued rounds: the round has held every one of these runs locked since it took
    // them queued, so the write cannot miss one, and nobody waits for its answer: it goes out
    // with the round's next statement or its COMMIT (DEFERRED), a round trip less per round.
    // Should a run be missed after all, the cast fails the statement, and with it the COMMIT: the
    // round rolls back whole, as LeaseLostError makes it. (The text is not a constant: a constant
    // cast would fail when the statement is planned, whichever branch runs.)
    params.push(items.length, items.length);
    await runShaped(uow.trx, 'checkpointMany:queued:columns:deferred', params, () => sql`
      WITH v(id, attempts, status, "cursor", variables, step_log, jumps, wake_at, error, ended_at) AS (${source()}), u AS (
        UPDATE runs SET status = v.status, "cursor" = v."cursor", variables = v.variables, step_log = v.step_log, jumps = v.jumps,
          wake_at = v.wake_at, error = v.error, updated_at = ${now}, ended_at = v.ended_at${take}
        FROM v WHERE runs.id = v.id AND ${held}
        RETURNING runs.id)
      SELECT CASE WHEN count(*) = ${items.length}::int THEN 0
        ELSE CAST('run round checkpoint wrote ' || count(*) || ' of ' || ${items.length}::int || ' runs: one is no longer queued' AS integer) END FROM u`, { deferred: true });
  } else {
    const written = await runShaped(uow.trx, `checkpointMany:${fromQueued ? 'queued' : 'claimed'}:${postgres ? 'columns' : items.length}`, params, () => sql<{ id: string }>`
      WITH v(id, attempts, status, "cursor", variables, step_log, jumps, wake_at, error, ended_at) AS (${source()})
      UPDATE runs SET status = v.status, "cursor" = v."cursor", variables = v.variables, step_log = v.step_log, jumps = v.jumps,
        wake_at = v.wake_at, error = v.error, updated_at = ${now}, ended_at = v.ended_at${take}
      FROM v WHERE runs.id = v.id AND ${held}
      RETURNING runs.id`);
    if (written.length !== items.length) {
      const got = new Set(written.map((w) => w.id));
      const lost = items.find((i) => !got.has(i.fence.id))?.fence.id;
      throw new LeaseLostError(`Run ${lost} is no longer held by ${owner}`);
    }
  }
  // Activity lines for the few runs that have one to write (run-activity.ts), together.
  let lines: PendingCheckpoint[] | undefined;
  for (const item of items) {
    const { fence, next, since } = item;
    if (hasRunLine(fence, next, since)) (lines ??= []).push(item);
    if (next.status === 'completed' || next.status === 'failed') ended(fence);
    const error = next.status === 'failed' ? next.error : null;
    const launchedBy = error ? launcherOf(next.variables) : null;
    uow.afterCommit(() => services.live.publish({ type: 'run.updated', runId: fence.id, workflowId: fence.workflowId, status: next.status, error, launchedBy }));
  }
  if (lines) await writeRunLines(uow, services, lines);
}
