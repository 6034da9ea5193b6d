import type { DomainEvent } from '../../lib/contracts/events';
import { newId, nowIso } from '../ids';
import { columnArrays, insertFromColumns, insertOne, insertParams, runShaped } from '../store/compiled-sql';
import { isPostgres, toJson } from '../store/database';
import type { UnitOfWork } from './unit-of-work';

export type RecordedEvent = DomainEvent & {
  id: string;
  source: string;
  contactId: string | null;
  depth: number;
  createdAt: string;
  /** Recorded by a run someone waits on (EventInput.waited); not stored. */
  waited: boolean;
  /** Mirrored as it already was (EventInput.imported): starts no run; its note says so. */
  imported: boolean;
  /** EventInput.importNote, or null. */
  importNote: string | null;
};

export interface EventInput {
  source: string;
  /** Loop depth: how many workflow hops led to this event (0 for people and outside callers). */
  depth?: number;
  idempotencyKey?: string;
  /** With a key: the request's body hash, so a reuse of the key with another body is refused. */
  requestHash?: string;
  /**
   * A step of a run someone waits on records it (a shortcut's run, an answered question's): the
   * runs it starts, in the same contact's chain, are waited on as well (dispatcher's waitedOn).
   */
  waited?: boolean;
  /**
   * What a connected inbox already held when it was connected, mirrored now (Chatwoot's first
   * import): recorded like any change, so the contact's history is whole, but it is not news and
   * starts no run (a welcome message would greet every customer mid-conversation).
   */
  imported?: boolean;
  /**
   * Why an imported event starts no run, as its note begins (a contact file imported without
   * "Run workflows"); a connected inbox's first import when not given (IMPORTED_NOTE).
   */
  importNote?: string;
  /**
   * Told the event's note (why a listening workflow was not started: the loop guard,
   * once-per-contact): a run's step passes its ctx.note, so the run's log says it, not only the
   * event (which no route shows).
   */
  onNote?: (note: string, eventId: string) => void;
  /**
   * The event's note when no dispatcher started a run or said why not, i.e. nothing listens: an
   * app testing a trigger that no published workflow uses is told so, not only `runIds: []`.
   */
  unheardNote?: string;
}

/** Turns a recorded event into runs, inside the event's transaction. The engine provides it. */
export type Dispatcher = (uow: UnitOfWork, event: RecordedEvent) => Promise<{ runIds: string[]; note?: string }>;

export class EventRecorder {
  private dispatchers: Dispatcher[] = [];

  useDispatcher(dispatcher: Dispatcher) {
    this.dispatchers.push(dispatcher);
  }

  /** Stores the event and dispatches it, in the caller's transaction: both commit or neither. */
  async record(uow: UnitOfWork, event: DomainEvent, input: EventInput): Promise<{ eventId: string; runIds: string[] }> {
    // Recorded later by its owner (UnitOfWork.heldEvents), which reads no id from here.
    if (uow.heldEvents) { uow.heldEvents.push({ event, input }); return { eventId: '', runIds: [] }; }
    const recorded: RecordedEvent = {
      ...event,
      id: newId('evt'),
      source: input.source,
      contactId: 'contactId' in event.payload ? (event.payload.contactId as string) : null,
      depth: input.depth ?? 0,
      createdAt: nowIso(),
      // Always set (one shape for every event: recording is on a run round's hot path).
      waited: input.waited === true,
      imported: input.imported === true,
      importNote: input.importNote ?? null,
    };
    const runIds: string[] = [];
    const notes: string[] = [];
    for (const dispatch of this.dispatchers) {
      const result = await dispatch(uow, recorded);
      runIds.push(...result.runIds);
      if (result.note) notes.push(result.note);
    }
    const note = notes.join('; ') || (runIds.length === 0 ? input.unheardNote : undefined) || null;
    await insertEvent(uow, recorded, input, note, runIds);
    if (note) input.onNote?.(note, recorded.id);
    if (runIds.length) uow.startedRuns?.push(...runIds);
    return { eventId: recorded.id, runIds };
  }
}

async function insertEvent(uow: UnitOfWork, e: RecordedEvent, { idempotencyKey, requestHash }: EventInput, note: string | null, runIds: string[]) {
  const { trx } = uow;
  const row = {
    id: e.id,
    type: e.type,
    source: e.source,
    contact_id: e.contactId,
    payload: toJson(e.payload),
    idempotency_key: idempotencyKey ?? null,
    depth: e.depth,
    note,
    created_at: e.createdAt,
    run_ids: idempotencyKey ? toJson(runIds) : null,
    ...(idempotencyKey && requestHash ? { request_hash: requestHash } : {}),
  };
  if (uow.pendingEvents) { uow.pendingEvents.push(row); return; }
  await insertOne(trx, 'events', row);
}

/** Inserts the events a run round collected (uow.pendingEvents), in as few statements as their shape allows. */
export async function flushPendingEvents(uow: UnitOfWork): Promise<void> {
  const rows = uow.pendingEvents ?? [];
  uow.pendingEvents = [];
  // PostgreSQL: one array per column (insertFromColumns), one text for any number of events.
  const postgres = isPostgres(uow.trx);
  for (let i = 0; i < rows.length; i += 1_000) {
    const part = rows.slice(i, i + 1_000);
    const columns = postgres ? columnArrays(part) : undefined;
    const shaped = postgres ? undefined : insertParams(part);
    if (columns) await runShaped(uow.trx, `insert:events:columns:${columns.names}`, columns.arrays, () => insertFromColumns('events', columns), { deferred: true });
    else if (shaped) await runShaped(uow.trx, `insert:events:${part.length}:${shaped.columns}`, shaped.params, () => uow.trx.insertInto('events').values(part), { deferred: true });
    else await uow.trx.insertInto('events').values(part).execute();
  }
}
