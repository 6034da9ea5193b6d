import { sql, type Compilable, type Insertable } from 'kysely';
import { hashToken } from '../auth/tokens';
import { chunks } from '../store/catalog';
import { fromJson, type Executor } from '../store/database';
import type { EventsTable, RunsTable } from '../store/schema';
import { columnArrays, insertFromColumns, insertParams, runShaped } from '../store/compiled-sql';
import { pairKey } from '../engine/executor/run-queue';

export { pairKey };

// Set-based reads and multi-row writes for a batch of webhook deliveries. Lists are chunked:
// SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535.
const MAX_PARAMS = 30_000;
const MAX_ROWS = 1_000;


const rowsPerInsert = (columns: number) => Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns)));

export interface HookWorkflowRow { id: string; status: string; version: number; definition: string; webhook_token_hash?: string | null; webhook_signing_secret?: string | null }

/**
 * The workflows behind these URL tokens (through HookWorkflowCache, which is emptied by every
 * change, so an unpublish or a new URL counts from the next batch on). Found by the tokens'
 * SHA-256: the database keeps no usable token.
 */
export async function workflowsByToken(db: Executor, tokens: string[]): Promise<Map<string, HookWorkflowRow>> {
  const byHash = new Map(tokens.map((t) => [hashToken(t), t]));
  const byToken = new Map<string, HookWorkflowRow>();
  for (const part of chunks([...byHash.keys()], 5_000)) {
    const rows = await runShaped(db, `workflowsByTokenHash:${part.length}`, part, () =>
      db.selectFrom('workflows').select(['id', 'status', 'version', 'definition', 'webhook_token_hash', 'webhook_signing_secret']).where('webhook_token_hash', 'in', part));
    for (const row of rows) {
      const token = row.webhook_token_hash ? byHash.get(row.webhook_token_hash) : undefined;
      if (token) byToken.set(token, row);
    }
  }
  return byToken;
}

export interface PreviousAck { eventId: string; runIds: string[]; unmatched: string[]; hash: string | null; note: string | null }

/**
 * Earlier acknowledgements by idempotency key: the event, the runs it started (oldest first), the
 * identifier values that matched nobody (kept in the event's payload) and its note. Only repeats are found,
 * so reading their payload costs nothing for new deliveries.
 */
export async function previousAcks(db: Executor, keys: string[]): Promise<Map<string, PreviousAck>> {
  const acks = new Map<string, PreviousAck>();
  if (keys.length === 0) return acks;
  for (const part of chunks(keys, 5_000)) {
    const events = await runShaped(db, `previousEvents:${part.length}`, part, () =>
      db.selectFrom('events').select(['id', 'idempotency_key', 'run_ids', 'request_hash', 'payload', 'note']).where('idempotency_key', 'in', part));
    for (const e of events) {
      const unmatched = fromJson<{ unmatched?: unknown }>(e.payload, {}).unmatched;
      acks.set(e.idempotency_key!, {
        eventId: e.id, runIds: fromJson<string[]>(e.run_ids, []), hash: e.request_hash ?? null, note: e.note ?? null,
        unmatched: Array.isArray(unmatched) ? unmatched.filter((v): v is string => typeof v === 'string') : [],
      });
    }
  }
  return acks;
}


/**
 * Enrols every (workflow, contact) pair; returns the pairs enrolled just now. Insert-then-read
 * (ON CONFLICT DO NOTHING RETURNING) is race-free like the dispatcher's single insert: a
 * concurrent enrolment of the same pair waits on the key and then counts as already there.
 */
export async function enrol(db: Executor, pairs: { workflow_id: string; contact_id: string }[], now: string): Promise<Set<string>> {
  const fresh = new Set<string>();
  for (const part of chunks(pairs, rowsPerInsert(3))) {
    const params: string[] = [];
    for (const p of part) params.push(p.workflow_id, p.contact_id, now);
    const rows = await runShaped(db, `enrol:${part.length}`, params, () =>
      db.insertInto('enrollments').values(part.map((p) => ({ workflow_id: p.workflow_id, contact_id: p.contact_id, created_at: now })))
        .onConflict((oc) => oc.columns(['workflow_id', 'contact_id']).doNothing())
        .returning(['workflow_id', 'contact_id']));
    for (const r of rows) fresh.add(pairKey(r.workflow_id, r.contact_id));
  }
  return fresh;
}

/**
 * The (workflow, contact) pairs that already have an unfinished run: a new run of such a pair
 * is stored blocked (see run-queue.ts), instead of being marked by the next claim. SQLite only
 * (INDEXED BY): one statement per batch, one index seek per pair (a pair's backlog can hold
 * thousands of queued runs; EXISTS stops at the first).
 */
export async function pairsWithUnfinishedRuns(db: Executor, pairs: { workflow_id: string; contact_id: string }[]): Promise<Set<string>> {
  const busy = new Set<string>();
  for (const part of chunks(pairs, 1_000)) {
    const params: string[] = [];
    for (const p of part) params.push(p.workflow_id, p.contact_id);
    // Statuses as literals: bound, SQLite re-plans the statement per call (partial indexes on status).
    const rows = await runShaped(db, `unfinishedPairs:${part.length}`, params, () => sql<{ w: string; c: string }>`
      WITH p(w, c) AS (VALUES ${sql.join(part.map((p) => sql`(${p.workflow_id}, ${p.contact_id})`))})
      SELECT w, c FROM p WHERE EXISTS (SELECT 1 FROM runs INDEXED BY runs_by_contact_workflow
        WHERE workflow_id = p.w AND contact_id = p.c AND status IN ('queued', 'running', 'waiting'))`);
    for (const r of rows) busy.add(pairKey(r.w, r.c));
  }
  return busy;
}

export async function insertEvents(db: Executor, rows: Insertable<EventsTable>[]) {
  for (const part of chunks(rows, rowsPerInsert(EVENT_COLUMNS))) await insertShaped(db, 'events', part, () => db.insertInto('events').values(part));
}

export async function insertRuns(db: Executor, rows: RunsTable[]) {
  for (const part of chunks(rows, rowsPerInsert(RUN_COLUMNS))) await insertShaped(db, 'runs', part, () => db.insertInto('runs').values(part));
}

const EVENT_COLUMNS = 11;
const RUN_COLUMNS = 23;

/** Whether a batch's events and (at most) runs fit insertEventsAndRuns's one statement. */
export const fitsOneInsert = (events: number, runs: number) =>
  events <= MAX_ROWS && runs <= MAX_ROWS && events * EVENT_COLUMNS + runs * RUN_COLUMNS <= MAX_PARAMS;

/**
 * PostgreSQL: a batch's events and runs in ONE statement (the events' insert a data-modifying
 * CTE of the runs'), its own transaction when run outside one: both tables or neither, in one
 * round trip instead of BEGIN, two inserts and COMMIT. Check fitsOneInsert first.
 */
export async function insertEventsAndRuns(db: Executor, events: EventsTable[], runs: RunsTable[]) {
  if (runs.length === 0) return insertEvents(db, events);
  const e = columnArrays(events);
  const r = columnArrays(runs);
  if (!e || !r) {
    await db.executeQuery(db.with('e', (q) => q.insertInto('events').values(events).returning('id')).insertInto('runs').values(runs).compile());
    return;
  }
  // One array per column (insertFromColumns): one text for any number of rows.
  await runShaped(db, `insert:events+runs:columns:${e.names}:${r.names}`, [...e.arrays, ...r.arrays], () => sql`
    WITH e AS (${insertFromColumns('events', e)} RETURNING id)
    ${insertFromColumns('runs', r)}`);
}



async function insertShaped(db: Executor, table: string, rows: readonly object[], build: () => Compilable<unknown>) {
  const shaped = insertParams(rows);
  if (!shaped) await db.executeQuery(build().compile());
  else await runShaped(db, `insert:${table}:${rows.length}:${shaped.columns}`, shaped.params, build);
}
