import { sql } from 'kysely';
import { encodeTime } from 'ulid';
import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { notFound } from '../http-error';
import type { Services } from '../services';
import { fromJson, isPostgres, toJson, type Dialect, type Executor } from '../store/database';
import { chunks, tablesWithColumn } from '../store/catalog';
import type { Cause } from './contacts';
import { launcherOf } from '../engine/workflows/launched-by';
import { isTransactionConflict } from '../store/transient-errors';
import { eraseEarlyItemsOf } from './erase-early-items';

/**
 * Deleting a contact erases the person (a GDPR erasure request; respond.io's and Chatwoot's
 * "Delete contact"): the contact row and every row that names them or what they said:
 * - their conversations and messages (sends waiting to be retried among them), and the question
 *   waits on those conversations;
 * - their runs, finished or not (variables and step logs hold their name, phone and messages), the
 *   outside effects those runs recorded (`step_effects`, keyed by run id) and their question waits.
 *   An unfinished run is gone as a cancelled one is: nobody claims it again, and a worker in the
 *   middle of one of its steps loses its fence (the checkpoint finds no row) and writes nothing;
 * - the events about them (`events.contact_id`), and their id in a webhook delivery that named
 *   other contacts too (its mapped values, which cannot be told apart, are emptied);
 * - enrolments, channel identities (WhatsApp wa_id is the phone itself; Messenger PSID and
 *   Chatwoot contact ids are `channel_identities` rows) and the Chatwoot mirror's state of the
 *   contact and of their conversations (`chatwoot_objects`);
 * - their reactions and edits on WhatsApp or Messenger still waiting for their message
 *   (`early_reactions`, found by their ids on Meta: erase-early-items.ts);
 * - and every other table with a `contact_id` or `conversation_id` column (found from the
 *   catalogue, as contact merge does, so a connector's own table is covered without this file).
 * What stays: Meta's and Chatwoot's delivery ids already handled (opaque ids, no personal data:
 * a late repeat of an old message must not bring the person back) and one `contact.deleted` event
 * with the deleted id, who deleted it and how many rows went (no name, phone or text).
 */

const UNFINISHED = ['queued', 'running', 'waiting'] as const;
const CHUNK = 500;
/** A delete that meets a concurrent writer in a lock cycle (PostgreSQL) is tried again, this often at most. */
const ATTEMPTS = 5;
/** After the commit, writers that read the contact before it and wrote after are swept up (see scheduleSweeps). */
const SWEEP_AFTER_MS = [500, 5_000, 65_000];
/** A straggler's events are at most this much older than the delete (ids are ULIDs: time first). */
const STRAGGLER_MS = 60_000;

export interface DeletedContact { contactId: string; erased: Record<string, number> }

/**
 * Deletes the contact and erases everything that names it, in one transaction; 404 when there is
 * no such contact (a second delete included). `cause.by`: who asked (recorded on the event).
 */
export async function deleteContact(services: Services, contactId: string, cause: Cause): Promise<DeletedContact> {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const done = await inTransaction(services.db, (uow) => deleteContactIn(uow, services, contactId, cause));
      scheduleSweeps(services, done.contactId, done.conversationIds, done.runIds, startedAt);
      return { contactId: done.contactId, erased: done.erased };
    } catch (err) {
      if (attempt >= ATTEMPTS || !isLockConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/**
 * PostgreSQL: the delete lost a lock cycle (deadlock_detected: a run of the contact claimed by an
 * express round that holds the contact), or a row naming the contact appeared under it. Rolled back
 * whole, so trying again is safe; the other side has gone on by then. Beyond the shared conflicts,
 * lock_not_available (55P03) and a foreign key violation (23503: a row naming the contact written
 * meanwhile) are the delete's own: elsewhere they are not worth trying again.
 */
function isLockConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return isTransactionConflict(err) || code === '55P03' || code === '23503';
}

async function deleteContactIn(uow: UnitOfWork, services: Services, contactId: string, cause: Cause) {
  const trx = uow.trx;
  const dialect = services.store.dialect;
  const postgres = dialect === 'postgres';
  // Lock order (PostgreSQL; SQLite has one writer and needs none): the contact's unfinished runs
  // first, in id order, then the contact, then its conversations. A queued run round takes its
  // runs (the pick) and then their contacts: taken the other way round, a round holding a run of
  // this contact and waiting for the contact would wait on us while we waited on it. A round
  // holding one of the runs ends (commits) before we go on, and a later round finds the contact
  // gone (it reads contacts FOR UPDATE) and rolls back. Holding the contact keeps out whatever
  // would add a conversation of it (the foreign key takes a share lock on it), change it, or store
  // a customer's message for it (meta-ingest.ts holds the contact it found); holding the
  // conversations keeps out messages added to them (their foreign key). What needs none of these
  // (webhook runs of a contact read just before) is swept up after the commit.
  if (postgres) {
    await sql`SELECT id FROM runs WHERE contact_id = ${contactId} AND status IN ('queued', 'running', 'waiting') ORDER BY id FOR UPDATE`.execute(trx);
  }
  const found = postgres
    ? await trx.selectFrom('contacts').select('id').where('id', '=', contactId).forUpdate().executeTakeFirst()
    : await trx.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst();
  if (!found) throw notFound(`Contact ${contactId}`);
  const conversations = await (postgres
    ? trx.selectFrom('conversations').select('id').where('contact_id', '=', contactId).orderBy('id').forUpdate()
    : trx.selectFrom('conversations').select('id').where('contact_id', '=', contactId).orderBy('id')).execute();
  const conversationIds = conversations.map((c) => c.id);
  // Unfinished runs end here as cancelled ones do (cancel-run.ts), and are deleted with the rest:
  // the next run of their (workflow, contact) pair is this contact's too, so there is no queue to
  // release; retrying sends and question waits go with the conversations and runs.
  const unfinished = await trx.selectFrom('runs').select(['id', 'workflow_id', 'variables', 'status']).where('contact_id', '=', contactId).where('status', 'in', UNFINISHED).execute();

  const early = await eraseEarlyItemsOf(trx, contactId); // before the identities and conversations that name their senders go
  const { erased, runIds } = await eraseReferences(trx, dialect, contactId, conversationIds);
  if (early > 0) erased.early_reactions = early;
  await trx.deleteFrom('contacts').where('id', '=', contactId).execute();
  erased.contacts = 1;

  // No trigger listens to it (dispatch has none for this type); it holds no personal data.
  await services.events.record(uow, { type: 'contact.deleted', payload: { deletedContactId: contactId, erased, by: cause.by ?? null } }, cause);
  uow.afterCommit(() => {
    // As any change is announced: open inboxes drop the conversations (refetched, they are gone),
    // the contact panel showing it closes, run histories and launcher toasts see the runs end.
    for (const id of conversationIds) services.live.publish({ type: 'conversation.changed', conversationId: id, contactId });
    services.live.publish({ type: 'contact.changed', contactId });
    for (const run of unfinished) {
      services.live.publish({ type: 'run.updated', runId: run.id, workflowId: run.workflow_id, status: 'cancelled', error: 'Cancelled: the contact was deleted', launchedBy: launcherOf(run.variables) });
    }
    // A step of theirs calling out stops too (its request aborted), as a cancel's does.
    services.runAborts.cancelled(unfinished.filter((r) => r.status === 'running').map((r) => r.id));
  });
  return { contactId, conversationIds, runIds, erased };
}

/**
 * Deletes every row that names the contact or one of these conversations, except the contact row
 * itself; returns the rows gone per table (`events_scrubbed`: webhook events that named other
 * contacts too, kept without this one) and the runs it found. A sweep passes `eventsFrom` (only
 * events with an id from there on) and the runs the delete found (`runIds`: a step in flight
 * records its outside effect under its run's id after the run is gone).
 */
async function eraseReferences(trx: Executor, dialect: Dialect, contactId: string, conversationIds: string[], { eventsFrom, runIds: known = [] }: { eventsFrom?: string; runIds?: string[] } = {}): Promise<{ erased: Record<string, number>; runIds: string[] }> {
  const erased: Record<string, number> = {};
  const count = (table: string, n: number) => { if (n > 0) erased[table] = (erased[table] ?? 0) + n; };

  // Runs first known by id: their question waits and recorded outside effects are keyed by it.
  const runIds = [...new Set([...known, ...(await trx.selectFrom('runs').select('id').where('contact_id', '=', contactId).execute()).map((r) => r.id)])];
  for (const part of chunks(runIds, 200)) {
    count('question_waits', deleted(await trx.deleteFrom('question_waits').where('run_id', 'in', part).execute()));
    // `<run id>:<step id>…`: every key of a run sorts between `<run id>:` and `<run id>;` (primary key ranges).
    count('step_effects', deleted(await trx.deleteFrom('step_effects')
      .where((eb) => eb.or(part.map((id) => eb.and([eb('key', '>=', `${id}:`), eb('key', '<', `${id};`)]))))
      .execute()));
  }

  // Rows of the conversations (messages, question waits, …) before the conversations (messages' foreign key).
  if (conversationIds.length > 0) {
    for (const table of await tablesWithColumn(trx, dialect, 'conversation_id')) {
      if (table === 'runs') continue; // a run's conversation is its contact's: gone with the contact's runs below
      for (const part of chunks(conversationIds, CHUNK)) {
        count(table, affected(await sql`DELETE FROM ${sql.table(table)} WHERE conversation_id IN (${sql.join(part)})`.execute(trx)));
      }
    }
  }

  // The Chatwoot mirror's applied state of the contact and of their conversations (names, phone, labels).
  for (const part of chunks([contactId, ...conversationIds], CHUNK)) {
    count('chatwoot_objects', deleted(await trx.deleteFrom('chatwoot_objects').where('companion_id', 'in', part).execute()));
  }

  await eraseEvents(trx, dialect, contactId, erased, eventsFrom);

  // Every table with a contact_id column: runs, enrollments, channel_identities and any a connector adds.
  for (const table of await tablesWithColumn(trx, dialect, 'contact_id')) {
    if (table === 'contacts' || table === 'events' || table === 'conversations') continue;
    count(table, affected(await sql`DELETE FROM ${sql.table(table)} WHERE contact_id = ${contactId}`.execute(trx)));
  }
  count('conversations', deleted(await trx.deleteFrom('conversations').where('contact_id', '=', contactId).execute()));
  return { erased, runIds };
}

/**
 * Events about the contact are deleted: their payloads hold what the contact said and was (a
 * conversation's first message, field values, a form's answers). An incoming webhook's event
 * names its contacts in the payload (`contactIds`, no contact_id): when it named only this one it
 * is deleted too; when it named others as well it stays for them (their runs point at it, and a
 * repeated delivery with its Idempotency-Key is answered from it) without this contact's id and
 * without the delivery's mapped values, which cannot be told apart per contact. No index serves
 * `contact_id` (one would cost every event written), so this reads the event log once.
 */
async function eraseEvents(trx: Executor, dialect: Dialect, contactId: string, erased: Record<string, number>, eventsFrom?: string) {
  const needle = JSON.stringify(contactId);
  const contains = dialect === 'postgres' ? sql<boolean>`strpos(payload, ${needle}) > 0` : sql<boolean>`instr(payload, ${needle}) > 0`;
  // One pass over the log; only a webhook event's payload is read back (the contact's own go by id).
  let q = trx.selectFrom('events')
    .select(['id', 'contact_id', 'note', sql<string | null>`CASE WHEN contact_id IS NULL THEN payload END`.as('payload')])
    .where((eb) => eb.or([eb('contact_id', '=', contactId), eb.and([eb('type', '=', 'webhook.received'), contains])]));
  if (eventsFrom) q = q.where('id', '>=', eventsFrom);
  const rows = await q.execute();
  const gone: string[] = [];
  let scrubbed = 0;
  for (const row of rows) {
    if (row.contact_id === contactId) { gone.push(row.id); continue; }
    const payload = fromJson<{ contactIds?: unknown }>(row.payload, {});
    const ids = Array.isArray(payload.contactIds) ? payload.contactIds.filter((id): id is string => typeof id === 'string') : [];
    if (!ids.includes(contactId)) continue; // the id appeared in a mapped value, not as a contact it named
    const others = ids.filter((id) => id !== contactId);
    if (others.length === 0) { gone.push(row.id); continue; }
    // Its note may name the contact too ("once per contact: … <workflow> for <contact>").
    await trx.updateTable('events').set({
      payload: toJson({ ...payload, contactIds: others, variables: {}, errors: [] }),
      note: row.note === null ? null : row.note.replaceAll(contactId, 'a deleted contact'),
    }).where('id', '=', row.id).execute();
    scrubbed++;
  }
  for (const part of chunks(gone, CHUNK)) await trx.deleteFrom('events').where('id', 'in', part).execute();
  if (gone.length > 0) erased.events = (erased.events ?? 0) + gone.length;
  if (scrubbed > 0) erased.events_scrubbed = (erased.events_scrubbed ?? 0) + scrubbed;
}


const deleted = (results: readonly { numDeletedRows: bigint }[]) => results.reduce((n, r) => n + Number(r.numDeletedRows), 0);
const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0);


// ---- stragglers ------------------------------------------------------------------------------

const pendingSweeps = new WeakMap<Services, Set<ReturnType<typeof setTimeout>>>();

/**
 * Rows naming the contact that writers in flight at the delete leave after it committed:
 * - a writer that read the contact just before the commit and writes just after it, without
 *   touching a row the delete held: an incoming webhook's runs (PostgreSQL reads the batch's
 *   contacts outside its transaction), a manual start, an app's trigger. The engine fails such a
 *   run when it reaches it ("Contact … no longer exists");
 * - a step that was calling out (HTTP request, a channel or Chatwoot send) when the delete came:
 *   its run is gone and its checkpoint writes nothing, but the outside effect is recorded under
 *   the run's id once the call returns (an HTTP step waits up to 30 s).
 * These passes erase them: half a second, five seconds and a minute after the commit (runs of the
 * contact, the waits and effects of every run it had, enrolments, identities, events written since
 * a minute before the delete). Timers do not outlive the process: what a pass missed then is
 * removed with the run history (RUN_RETENTION_DAYS); nothing left names a contact that exists.
 */
function scheduleSweeps(services: Services, contactId: string, conversationIds: string[], runIds: string[], startedAt: number) {
  let timers = pendingSweeps.get(services);
  if (!timers) {
    const set = new Set<ReturnType<typeof setTimeout>>();
    pendingSweeps.set(services, (timers = set));
    services.onClose(() => { for (const t of set) clearTimeout(t); set.clear(); });
  }
  const eventsFrom = `evt_${encodeTime(Math.max(0, startedAt - STRAGGLER_MS), 10)}`;
  for (const delay of SWEEP_AFTER_MS) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void sweepDeletedContact(services, contactId, { conversationIds, runIds, eventsFrom }).catch((err: unknown) => {
        services.log.warn({ err, contactId }, 'sweeping rows written about a deleted contact failed (the next pass tries again)');
      });
    }, delay);
    timer.unref();
    timers.add(timer);
  }
}

/** One pass (exported for tests): what was written about the deleted contact after its delete. */
export async function sweepDeletedContact(services: Services, contactId: string, gone: { conversationIds: string[]; runIds: string[]; eventsFrom: string }): Promise<Record<string, number>> {
  const erased = await inTransaction(services.db, async (uow) => {
    // Ids are fresh ULIDs, never given again; still, a contact that exists is not swept.
    if (await uow.trx.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst()) return {};
    return (await eraseReferences(uow.trx, services.store.dialect, contactId, gone.conversationIds, gone)).erased;
  });
  if (Object.keys(erased).length > 0) services.log.info({ contactId, erased }, 'erased rows written about a contact while it was being deleted');
  return erased;
}

/**
 * A contact found for an incoming message, held until the message's transaction ends (PostgreSQL:
 * FOR KEY SHARE, which a delete's lock waits for and which waits for a delete): a delete running at
 * the same moment either comes first (the contact is not found, a new one is made) or after (and
 * erases the message with the rest). SQLite has one writer: a plain read.
 */
export async function heldContactId(trx: Executor, by: 'id' | 'phone' | 'email', value: string): Promise<string | undefined> {
  const q = trx.selectFrom('contacts').select('id').where(by, '=', by === 'email' ? value.toLowerCase() : value);
  const row = await (isPostgres(trx) ? q.forKeyShare() : q).executeTakeFirst();
  return row?.id;
}
