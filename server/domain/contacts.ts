import { sql } from 'kysely';
import type { Contact, FieldValue } from '../../lib/contracts/contacts';
import { readableFieldValues } from '../../lib/workflow/field-values';
import { applyTags, uniqueTags } from '../../lib/workflow/tags';
import type { UnitOfWork } from '../events/unit-of-work';
import type { Services } from '../services';
import { conflict, notFound, unprocessable } from '../http-error';
import { requireStorableContact } from './contact-limits';
import { getSetting, settingIn } from './settings';
import { newId, nowIso } from '../ids';
import { runShaped, toColumns } from '../store/compiled-sql';
import { fromJson, isPostgres, isUniqueViolation, toJson, type Executor } from '../store/database';
import type { ContactsTable } from '../store/schema';

export const toContact = (r: ContactsTable): Contact => ({
  id: r.id, firstName: r.first_name, lastName: r.last_name, phone: r.phone, email: r.email,
  // Read as the contract answers it: an over-long value an older version stored comes cut, marked (readableFieldValues).
  tags: fromJson<string[]>(r.tags, []), fields: readableFieldValues(fromJson<Record<string, unknown>>(r.fields, {})), lifecycle: r.lifecycle ?? null,
  createdAt: r.created_at,
});

/**
 * Who caused a change: recorded as the event source, the loop depth for workflow changes, and
 * `by`: the user (person or bot) or workflow that made it, which triggers hand on as variables.
 */
export interface Cause {
  source: string;
  depth?: number;
  by?: string | null;
  /** The change comes from a run someone waits on: the runs it starts are waited on too (express lane). */
  waited?: boolean;
  /** Mirrored as a connected inbox already had it (EventInput.imported): recorded, starts no run. */
  imported?: boolean;
  /** Why an imported change starts no run (EventInput.importNote). */
  importNote?: string;
  /** A run's step: told why a change it made started no run (EventInput.onNote). */
  onNote?: (note: string, eventId: string) => void;
}

export async function findContact(db: Executor, id: string): Promise<Contact | undefined> {
  const [row] = await runShaped(db, 'contactById', [id], () => db.selectFrom('contacts').selectAll().where('id', '=', id));
  return row && toContact(row);
}

/** A contact as this unit of work last wrote or read it (a run round), else from the database. */
export async function contactIn(uow: UnitOfWork, id: string): Promise<Contact | undefined> {
  const known = uow.written?.get(id) ?? uow.reads?.contacts.get(id);
  if (known) return known;
  if (!uow.reads) return findContact(uow.trx, id);
  await prefetchContacts(uow, [id]);
  return uow.reads.contacts.get(id);
}

/** Reads a run round's contacts up front: one statement, not one per run (PostgreSQL: and holds them, RoundReads.lock). */
export async function prefetchContacts(uow: UnitOfWork, contactIds: readonly string[]): Promise<void> {
  const reads = uow.reads;
  if (!reads) return;
  const ids = [...new Set(contactIds)].filter((id) => !uow.written?.has(id) && !reads.contacts.has(id)).sort();
  if (ids.length === 0) return;
  const rows = await runShaped(uow.trx, `contactsByIds:${reads.lock}:${ids.length}`, ids, () => {
    const q = uow.trx.selectFrom('contacts').selectAll().where('id', 'in', ids);
    return reads.lock ? q.orderBy('id').forUpdate() : q;
  });
  for (const row of rows) reads.contacts.set(row.id, toContact(row));
}

/**
 * Writes the contacts a run round changed (uow.dirtyContacts), each once, in one statement:
 * names, lifecycle, tags and fields as `written` holds them. Phone and email (unique) are written
 * by the step itself, so a duplicate is refused there.
 */
export async function flushContacts(uow: UnitOfWork): Promise<void> {
  const dirty = uow.dirtyContacts;
  if (!dirty || dirty.size === 0) return;
  const rows = [...dirty.keys()].sort().map((id) => {
    const c = uow.written!.get(id)!;
    return [id, c.firstName, c.lastName, c.lifecycle ?? null, toJson(c.tags), toJson(c.fields), dirty.get(id)!];
  });
  dirty.clear();
  // PostgreSQL: one array per column, so the text (one prepared statement, one plan) is the same for any count.
  const postgres = isPostgres(uow.trx);
  const params = postgres ? toColumns(rows) : rows.flat();
  // Built only when the shape is compiled (its first time): a fragment per value cost ~2 µs a run.
  const source = () => postgres
    ? sql`SELECT * FROM unnest(${sql.join(params.map((column) => sql`${column}::text[]`))})`
    : sql`VALUES ${sql.join(rows.map((values) => sql`(${sql.join(values.map((v) => sql`CAST(${v} AS TEXT)`))})`))}`;
  await runShaped(uow.trx, `flushContacts:${postgres ? 'columns' : rows.length}`, params, () => sql`
    WITH v(id, first_name, last_name, lifecycle, tags, fields, updated_at) AS (${source()})
    UPDATE contacts SET first_name = v.first_name, last_name = v.last_name, lifecycle = v.lifecycle, tags = v.tags,
      fields = v.fields, updated_at = v.updated_at
    FROM v WHERE contacts.id = v.id`, { deferred: true });
}

export async function getContact(db: Executor, id: string): Promise<Contact> {
  const c = await findContact(db, id);
  if (!c) throw notFound(`Contact ${id}`);
  return c;
}

export async function findContactBy(db: Executor, by: 'id' | 'phone' | 'email', value: string): Promise<Contact | undefined> {
  const column = by === 'id' ? 'id' : by;
  const row = await db.selectFrom('contacts').selectAll().where(column, '=', by === 'email' ? value.toLowerCase() : value).executeTakeFirst();
  return row && toContact(row);
}

const duplicateMessage = (err: unknown, c: { phone?: string | null; email?: string | null }) =>
  /phone/i.test(String((err as Error).message) + String((err as { detail?: string }).detail ?? ''))
    ? `A contact with phone ${c.phone} already exists`
    : `A contact with email ${c.email} already exists`;

export async function createContact(
  uow: UnitOfWork, services: Services,
  input: {
    firstName: string; lastName: string; phone?: string | null; email?: string | null; tags: string[]; fields: Record<string, FieldValue>;
    /** A stage from settings, checked by the caller (a contact import reads the stages once for its rows). */
    lifecycle?: string | null;
  },
  cause: Cause,
): Promise<Contact> {
  const now = nowIso();
  const tags = uniqueTags(input.tags);
  const fields = storedFieldValues(input.fields);
  requireStorableContact({ firstName: input.firstName, lastName: input.lastName, fields });
  const row: ContactsTable = {
    id: newId('con'), first_name: input.firstName, last_name: input.lastName, phone: input.phone ?? null, email: input.email ?? null,
    tags: toJson(tags), fields: toJson(fields), created_at: now, updated_at: now, ...(input.lifecycle ? { lifecycle: input.lifecycle } : {}),
  };
  if (uow.newContacts) uow.newContacts.push(row); // an import's part: inserted with the others
  else {
    try {
      await uow.trx.insertInto('contacts').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(duplicateMessage(err, input));
      throw err;
    }
  }
  await services.events.record(uow, { type: 'contact.created', payload: { contactId: row.id } }, cause);
  for (const tag of tags) await services.events.record(uow, { type: 'contact.tag_added', payload: { contactId: row.id, tag, by: cause.by ?? null } }, cause);
  // Fields (and an imported lifecycle stage) given at creation are set as tags are added: Contact
  // Field Updated from nothing (null), as respond.io's "updated or edited". Names, phone and email
  // are what a contact is created with.
  const given = { ...(input.lifecycle ? { lifecycle: input.lifecycle } : {}), ...fields };
  for (const [field, newValue] of Object.entries(given)) {
    await services.events.record(uow, { type: 'contact.field_updated', payload: { contactId: row.id, field, oldValue: null, newValue, by: cause.by ?? null } }, cause);
  }
  return toContact(row);
}

/**
 * Field values as stored, whoever writes them (API, steps, answers, a connected inbox): text
 * without the spaces around it (" Lyon " is "Lyon", and changes nothing where it was "Lyon"); a
 * null value is no value (dropped at creation).
 */
export function storedFieldValues(values: Record<string, FieldValue>): Record<string, FieldValue> {
  const stored: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(values)) if (value !== null) stored[key] = storedFieldValue(value);
  return stored;
}
const storedFieldValue = (value: FieldValue): FieldValue => (typeof value === 'string' ? value.trim() : value);

const STANDARD_KEYS = ['firstName', 'lastName', 'phone', 'email', 'lifecycle'] as const;

/** Updates names, phone, email and field values; a field whose value really changes fires `contact.field_updated`. */
export async function updateContact(
  uow: UnitOfWork, services: Services, id: string,
  patch: { firstName?: string; lastName?: string; phone?: string | null; email?: string | null; lifecycle?: string | null; fields?: Record<string, FieldValue> },
  cause: Cause,
  /** The contact as read in this transaction already (a step has it): not read again. */
  known?: Contact,
): Promise<Contact> {
  requireStorableContact(patch);
  const current = known?.id === id ? known : uow.written?.get(id) ?? await getContact(uow.trx, id);
  if (patch.lifecycle) await requireLifecycleStage(uow, patch.lifecycle);
  const fields = { ...current.fields };
  const changedFields: { field: string; oldValue: unknown; newValue: unknown }[] = [];
  for (const [key, given] of Object.entries(patch.fields ?? {})) {
    const value = storedFieldValue(given);
    const old = current.fields[key] ?? null;
    if (old === value) continue;
    if (value === null) delete fields[key]; else fields[key] = value;
    changedFields.push({ field: key, oldValue: old, newValue: value });
  }
  const given = STANDARD_KEYS.filter((k) => patch[k] !== undefined);
  const standard = given.filter((k) => (patch[k] || null) !== (current[k] || null));
  // Standard fields fire Contact Field Updated too (keyed by their name; custom keys are lowercase
  // and may not take these names), listed before the custom ones.
  changedFields.unshift(...standard.map((k) => ({ field: k, oldValue: current[k] || null, newValue: patch[k] || null })));
  const changes = [...standard, ...changedFields.filter((c) => !standard.includes(c.field as never)).map((c) => `fields.${c.field}`)];
  if (changes.length === 0) return current;
  if (uow.dirtyContacts && (uow.newContacts || (patch.phone === undefined && patch.email === undefined))) {
    uow.dirtyContacts.set(id, nowIso()); // a run round: written once at its end (flushContacts); an import's part: with the others
  } else {
    const set = {
      ...(patch.firstName !== undefined ? { first_name: patch.firstName } : {}),
      ...(patch.lastName !== undefined ? { last_name: patch.lastName } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.lifecycle !== undefined ? { lifecycle: patch.lifecycle } : {}),
      fields: toJson(fields),
      updated_at: nowIso(),
    };
    let written: unknown[];
    try {
      written = await runShaped(uow.trx, `contactUpdate:returning:${Object.keys(set).join(',')}`, [...Object.values(set), id], () =>
        uow.trx.updateTable('contacts').set(set).where('id', '=', id).returning('id'));
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(duplicateMessage(err, patch));
      throw err;
    }
    // Deleted meanwhile (PostgreSQL: read before the delete committed, written after): nothing to record.
    if (written.length === 0) throw notFound(`Contact ${id}`);
  }
  await services.events.record(uow, { type: 'contact.updated', payload: { contactId: id, changes } }, cause);
  for (const c of changedFields) {
    await services.events.record(uow, { type: 'contact.field_updated', payload: { contactId: id, ...c, by: cause.by ?? null } }, cause);
  }
  uow.afterCommit(() => services.live.publish({ type: 'contact.changed', contactId: id }));
  // What the update wrote, without reading it back.
  const updated: Contact = { ...current, ...Object.fromEntries(given.map((k) => [k, patch[k]])), fields };
  uow.written?.set(id, updated);
  return updated;
}

/** Adds or removes tags; only tags whose presence really changes fire an event. */
export async function changeTags(
  uow: UnitOfWork, services: Services, id: string, action: 'add' | 'remove', tags: string[], cause: Cause,
  /** The contact as read in this transaction already (a step has it): not read again. */
  known?: Contact,
): Promise<Contact> {
  const current = known?.id === id ? known : uow.written?.get(id) ?? await getContact(uow.trx, id);
  // Any case: adding "VIP" to a contact tagged "vip" changes (and fires) nothing (lib/workflow/tags.ts).
  const { tags: after, changed } = applyTags(current.tags, action, tags);
  if (changed.length === 0) return current;
  if (uow.dirtyContacts) uow.dirtyContacts.set(id, nowIso()); // a run round: written once at its end
  else {
    const values = { tags: toJson(after), updated_at: nowIso() };
    const written = await runShaped(uow.trx, 'contactTags:returning', [values.tags, values.updated_at, id], () =>
      uow.trx.updateTable('contacts').set(values).where('id', '=', id).returning('id'));
    // Deleted meanwhile (PostgreSQL: read before the delete committed, written after): no events, no runs.
    if (written.length === 0) throw notFound(`Contact ${id}`);
  }
  for (const tag of changed) {
    await services.events.record(uow, { type: action === 'add' ? 'contact.tag_added' : 'contact.tag_removed', payload: { contactId: id, tag, by: cause.by ?? null } }, cause);
  }
  uow.afterCommit(() => services.live.publish({ type: 'contact.changed', contactId: id }));
  const updated = { ...current, tags: after };
  uow.written?.set(id, updated);
  return updated;
}

/**
 * Every tag some contact has, sorted (the tag list an app with `tags.read` sees): one entry per
 * tag whatever its case, in the casing of the oldest contact that has it.
 */
export async function listTags(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('contacts').select('tags').where('tags', '!=', '[]').orderBy('id').execute();
  return uniqueTags(rows.flatMap((row) => fromJson<string[]>(row.tags, []))).sort();
}

export const LIFECYCLE_SETTING = 'lifecycle_stages';
export const getLifecycleStages = async (db: Executor) => ({ stages: await getSetting<string[]>(db, LIFECYCLE_SETTING, []) });

/** The lifecycle stages, read once per run round (settingIn). */
export const lifecycleStagesIn = (uow: UnitOfWork) => settingIn<string[]>(uow, LIFECYCLE_SETTING, []);

/** 422 unless `stage` is one of the stages in settings. */
export async function requireLifecycleStage(uow: UnitOfWork, stage: string): Promise<void> {
  const stages = await lifecycleStagesIn(uow);
  if (!stages.includes(stage)) {
    throw unprocessable(stages.length === 0
      ? `There are no lifecycle stages yet; define them under Settings → Lifecycle stages first`
      : `Unknown lifecycle stage "${stage}"; use one of: ${stages.join(', ')}`, [{ path: 'body.lifecycle', message: 'Unknown lifecycle stage' }]);
  }
}
