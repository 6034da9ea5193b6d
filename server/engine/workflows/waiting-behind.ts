import { sql } from 'kysely';
import type { Run, StepLogEntry, WaitingBehind } from '../../../lib/contracts/runs';
import { waitsToRetry } from '../../../lib/workflow/waits-to-retry';
import { fromJson, isPostgres, type Executor } from '../../store/database';

// A contact's runs of one workflow go one at a time, in order (DESIGN-NOTES, Engine: it keeps the
// contact's messages in order). A later run then sits `queued` with an empty log while the one
// before it waits out a Wait step or a question; these say which run holds it and until when.
// Read only when asked (GET /runs/:id of a queued run, /runs/summary), never by the engine.

const UNFINISHED = ['queued', 'running', 'waiting'] as const;

/**
 * The run a queued run waits behind: the pair's running or waiting run, else the queued run just
 * before it; undefined when nothing before it is unfinished (it is free to start).
 */
export async function waitingBehind(db: Executor, run: Pick<Run, 'id' | 'workflowId' | 'contactId' | 'status'>): Promise<WaitingBehind | undefined> {
  if (run.status !== 'queued') return undefined;
  // One statement: a seek per status in runs_by_contact_workflow (contact, workflow, status, id),
  // each the latest before the run. On PostgreSQL a pair's runs leave dead entries in the
  // running and waiting ranges until vacuum, all older than the live one: max() meets it first.
  const hint = isPostgres(db) ? sql`` : sql`INDEXED BY runs_by_contact_workflow`;
  const before = (status: string) => sql`(SELECT max(e.id) FROM runs e ${hint}
    WHERE e.contact_id = ${run.contactId} AND e.workflow_id = ${run.workflowId} AND e.status = ${status} AND e.id < ${run.id})`;
  const { rows: [row] } = await sql<{ id: string; status: string; wake_at: string | null; step_log: string }>`
    SELECT r.id, r.status, r.wake_at, r.step_log FROM runs r
    WHERE r.id IN (${sql.join(UNFINISHED.map(before))})
    ORDER BY CASE WHEN r.status = 'queued' THEN 1 ELSE 0 END, r.id LIMIT 1`.execute(db);
  if (!row || !(UNFINISHED as readonly string[]).includes(row.status)) return undefined;
  const status = row.status as WaitingBehind['status'];
  if (status !== 'waiting') return { runId: row.id, status };
  const reason = waitReason(fromJson<StepLogEntry[]>(row.step_log, []));
  return { runId: row.id, status, ...(row.wake_at ? { waitingUntil: row.wake_at } : {}), ...(reason ? { reason } : {}) };
}

/** What a waiting run waits for, from its last log entry, in words that follow "it waits". */
function waitReason(stepLog: StepLogEntry[]): string | undefined {
  const last = stepLog.at(-1);
  if (!last) return undefined;
  if (waitsToRetry({ status: 'waiting', stepLog })) return `to try step "${last.stepId}" again`;
  if (last.type === 'ask_question') return `for the contact's reply to step "${last.stepId}"`;
  return `at step "${last.stepId}"`;
}

/**
 * /runs/summary: queued runs behind a running or waiting run of their pair (`behind`), and how
 * many of them the engine has not marked blocked yet (`unmarked`: runs_ready still holds them,
 * so they are taken out of `ready`). From the few running and waiting runs (their partial
 * indexes), a range of runs_by_contact_workflow each: proportional to the runs in hand, not to
 * the history.
 */
export async function behindCounts(db: Executor): Promise<{ behind: number; unmarked: number }> {
  // SQLite, left to itself (no ANALYZE), scanned runs_by_contact_workflow whole for both sides:
  // the hints and CROSS JOIN (its "this order") keep the running and waiting runs outside.
  const pg = isPostgres(db);
  const by = (index: string) => (pg ? sql`` : sql`INDEXED BY ${sql.raw(index)}`);
  const { rows: [row] } = await sql<{ behind: number | string; unmarked: number | string | null }>`
    SELECT count(*) AS behind, sum(CASE WHEN q.blocked = 0 THEN 1 ELSE 0 END) AS unmarked
    FROM (SELECT id, contact_id, workflow_id FROM runs ${by('runs_leased')} WHERE status = 'running'
          UNION ALL SELECT id, contact_id, workflow_id FROM runs ${by('runs_waking')} WHERE status = 'waiting') h
    CROSS JOIN runs q ${by('runs_by_contact_workflow')}
    WHERE q.contact_id = h.contact_id AND q.workflow_id = h.workflow_id AND q.status = 'queued' AND q.id > h.id`.execute(db);
  return { behind: Number(row?.behind ?? 0), unmarked: Number(row?.unmarked ?? 0) };
}
