import { sql } from 'kysely';
import type { Contact, FieldValue } from '../../lib/contracts/contacts';
import { uniqueTags } from '../../lib/workflow/tags';
import type { UnitOfWork } from '../events/unit-of-work';
import { HttpError } from '../http-error';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { toJson } from '../store/database';
import { tablesWithColumn } from '../store/catalog';
import { flushContacts, getContact, type Cause } from './contacts';
import { closeConversation, conversationWritten, findOpenConversation } from './conversations';

/**
 * Tables whose `contact_id` needs more than a plain update when a contact is merged away:
 * enrollments are keyed by (workflow, contact), so the survivor keeps one row per workflow.
 */
const SPECIAL = new Set(['enrollments', 'contacts']);

/** What a merge did, per table (rows moved) plus the tags and fields the survivor gained. */
export interface MergeResult { contact: Contact; moved: Record<string, number>; closedConversationId: string | null }

/**
 * Merges `mergedId` into `survivorId`, in the caller's transaction:
 * - the merged contact's open conversation is closed with reason "merge" (Conversation Closed
 *   ignores such closes: merging is bookkeeping, not an outcome);
 * - the survivor gets the union of tags, the merged contact's field values where it has none,
 *   its phone/email where it has none, and every row that names the merged contact: conversations
 *   (with their messages), events, runs (unfinished ones continue on the survivor), channel and
 *   connection identities. Every table with a `contact_id` column is included, so identities a
 *   connector keeps in its own table follow without this file knowing them;
 * - enrolments are united (once-per-contact then holds for either past);
 * - the merged contact is deleted and one `contact.merged` event recorded (no trigger listens to it;
 *   the gained tags and fields fire nothing either: the person did not change, the records did).
 */
export async function mergeContacts(uow: UnitOfWork, services: Services, survivorId: string, mergedId: string, cause: Cause): Promise<MergeResult> {
  await flushContacts(uow); // a run round's pending contact writes: the merge reads and rewrites rows
  uow.written?.delete(survivorId);
  uow.written?.delete(mergedId);
  uow.reads?.contacts.delete(survivorId);
  uow.reads?.contacts.delete(mergedId);
  conversationWritten(uow); // conversations move to the survivor
  if (survivorId === mergedId) {
    throw new HttpError(422, 'invalid_content', 'A contact cannot be merged into itself; choose another contact',
      [{ path: 'body.mergeContactId', message: 'Choose a different contact' }]);
  }
  const trx = uow.trx;
  const survivor = await getContact(trx, survivorId);
  const merged = await getContact(trx, mergedId);

  const open = await findOpenConversation(trx, mergedId);
  if (open) await closeConversation(uow, services, open.id, { reason: 'merge' }, cause);

  const tags = uniqueTags([...survivor.tags, ...merged.tags]); // the survivor's casing of a tag both have
  const fields: Record<string, FieldValue> = { ...survivor.fields };
  for (const [key, value] of Object.entries(merged.fields)) {
    if (fields[key] === undefined || fields[key] === null) fields[key] = value;
  }
  // Free the merged contact's phone/email first: they are unique.
  await trx.updateTable('contacts').set({ phone: null, email: null }).where('id', '=', mergedId).execute();
  await trx.updateTable('contacts').set({
    tags: toJson(tags), fields: toJson(fields), updated_at: nowIso(),
    phone: survivor.phone ?? merged.phone, email: survivor.email ?? merged.email,
  }).where('id', '=', survivorId).execute();

  const moved: Record<string, number> = {};
  await trx.insertInto('enrollments')
    .columns(['workflow_id', 'contact_id', 'created_at'])
    .expression((eb) => eb.selectFrom('enrollments').select(['workflow_id', eb.val(survivorId).as('contact_id'), 'created_at']).where('contact_id', '=', mergedId))
    .onConflict((oc) => oc.columns(['workflow_id', 'contact_id']).doNothing())
    .execute();
  await trx.deleteFrom('enrollments').where('contact_id', '=', mergedId).execute();
  for (const table of await tablesWithColumn(trx, services.store.dialect, 'contact_id')) {
    if (SPECIAL.has(table)) continue;
    const result = await sql`UPDATE ${sql.table(table)} SET contact_id = ${survivorId} WHERE contact_id = ${mergedId}`.execute(trx);
    const count = Number(result.numAffectedRows ?? 0);
    if (count > 0) moved[table] = count;
  }
  await trx.deleteFrom('contacts').where('id', '=', mergedId).execute();

  await services.events.record(uow, {
    type: 'contact.merged', payload: { contactId: survivorId, mergedContactId: mergedId, moved, by: cause.by ?? null },
  }, cause);
  uow.afterCommit(() => {
    services.live.publish({ type: 'contact.changed', contactId: survivorId });
    services.live.publish({ type: 'contact.changed', contactId: mergedId });
    services.runSignal.notify();
  });
  return { contact: await getContact(trx, survivorId), moved, closedConversationId: open?.id ?? null };
}

