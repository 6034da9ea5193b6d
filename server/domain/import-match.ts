import { sql } from 'kysely';
import { CONTACT_KEY_MATCHES, type ContactImportMatch } from '../../lib/contracts/contact-import';
import type { Contact } from '../../lib/contracts/contacts';
import type { UnitOfWork } from '../events/unit-of-work';
import { HttpError } from '../http-error';
import { nowIso } from '../ids';
import { isPostgres, type Executor } from '../store/database';
import { toContact } from './contacts';
import { contactsHolding } from './field-lookup';
import type { CheckedRow } from './import-row-check';

// How the rows of an import find their contacts: by phone and email (unique columns, indexed), or
// by a custom field holding another system's id, read from the index of field values (migration
// 086, field-lookup.ts) once per request for all its rows, never once per row.

export type KeyMatch = (typeof CONTACT_KEY_MATCHES)[number];
export const keyMatchOf = (match: ContactImportMatch): KeyMatch => (typeof match === 'string' ? match : 'phone_or_email');
export const fieldOf = (match: ContactImportMatch) => (typeof match === 'string' ? undefined : match.field);

/** The contacts holding each value of the match field, as the request found them and its rows left them. */
export type FieldIndex = Map<string, Set<string>>;

/** One statement for the request's keys (an index lookup per key, not a read of every contact). */
export async function readFieldIndex(db: Executor, key: string, values: readonly string[]): Promise<FieldIndex> {
  const index: FieldIndex = new Map();
  if (values.length === 0) return index;
  for (const { id, value } of await contactsHolding(db, key, [...new Set(values)])) {
    if (!index.has(value)) index.set(value, new Set());
    index.get(value)!.add(id);
  }
  return index;
}

/** The index a request's transaction matches with, and the turn it was read or last confirmed at. */
export interface MatchState { key: string; index: FieldIndex; turn: number | undefined }

/**
 * Imports matching by one field take turns: each transaction of one first moves the field's turn
 * counter (a settings row, held until it commits: PostgreSQL's row lock makes the others wait,
 * SQLite's write transaction already excludes them). No unique constraint can keep two contacts
 * from holding one key, so this is what does: the rows are matched with an index no other import
 * changed since it was read. The counter moved by one since this request's last transaction: the
 * index is still true and costs nothing; moved more: another import wrote in between, read again.
 */
export async function freshIndex(trx: Executor, state: MatchState, keys: readonly string[]): Promise<MatchState> {
  const now = nowIso();
  const { value } = await trx.insertInto('settings').values({ key: `contact_import_turn:${state.key}`, value: '1', updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql<string>`CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT)`, updated_at: now }))
    .returning('value').executeTakeFirstOrThrow();
  const turn = Number(value);
  if (state.turn !== undefined && turn === state.turn + 1) {
    return { key: state.key, index: new Map([...state.index].map(([v, ids]) => [v, new Set(ids)])), turn };
  }
  return { key: state.key, index: await readFieldIndex(trx, state.key, keys), turn };
}

export interface Known {
  byPhone: Map<string, Contact>;
  byEmail: Map<string, Contact>;
  /** By the match field's value: more than one is a row to fix (merge them first). */
  byField: Map<string, Contact[]>;
}

/**
 * The contacts a chunk's rows name by phone, email or match field, in one statement (PostgreSQL:
 * locked, in id order, as run rounds lock theirs). A contact the field index named is taken only
 * if it still holds the value.
 */
export async function contactsNamed(uow: UnitOfWork, chunk: readonly CheckedRow[], field?: { key: string; index: FieldIndex }): Promise<Known> {
  const phones = [...new Set(chunk.flatMap((c) => (c.row.phone ? [c.row.phone] : [])))];
  const emails = [...new Set(chunk.flatMap((c) => (c.row.email ? [c.row.email] : [])))];
  const ids = field ? [...new Set(chunk.flatMap((c) => (c.matchKey ? [...field.index.get(c.matchKey) ?? []] : [])))] : [];
  const known: Known = { byPhone: new Map(), byEmail: new Map(), byField: new Map() };
  if (phones.length === 0 && emails.length === 0 && ids.length === 0) return known;
  const q = uow.trx.selectFrom('contacts').selectAll().where((eb) => eb.or([
    ...(phones.length ? [eb('phone', 'in', phones)] : []),
    ...(emails.length ? [eb('email', 'in', emails)] : []),
    ...(ids.length ? [eb('id', 'in', ids)] : []),
  ])).orderBy('id');
  const rows = await (isPostgres(uow.trx) ? q.forUpdate() : q).execute();
  for (const row of rows) {
    const contact = toContact(row);
    if (contact.phone) known.byPhone.set(contact.phone, contact);
    if (contact.email) known.byEmail.set(contact.email, contact);
    const value = field && contact.fields[field.key];
    if (typeof value === 'string' && field!.index.get(value)?.has(contact.id)) known.byField.set(value, [...known.byField.get(value) ?? [], contact]);
  }
  return known;
}

/**
 * The contact the row updates: by its match field's value, else (no value, or no contact has it)
 * by phone and email as `match` says. Two different ones is a row to fix.
 */
export function matchOf(item: CheckedRow, match: ContactImportMatch, known: Known): Contact | undefined {
  const field = fieldOf(match);
  if (field && item.matchKey) {
    const holders = known.byField.get(item.matchKey) ?? [];
    if (holders.length > 1) {
      throw new HttpError(409, 'conflict', `${holders.length} contacts have ${field} "${item.matchKey}": ${holders.map(describe).join(', ')}; merge them first`,
        [{ path: `body.fields.${field}`, message: `Held by ${holders.length} contacts` }]);
    }
    if (holders[0]) return holders[0];
  }
  const { row } = item;
  const by = keyMatchOf(match);
  const byPhone = by !== 'email' && row.phone ? known.byPhone.get(row.phone) : undefined;
  const byEmail = by !== 'phone' && row.email ? known.byEmail.get(row.email) : undefined;
  if (byPhone && byEmail && byPhone.id !== byEmail.id) {
    throw new HttpError(409, 'conflict', `The phone is ${describe(byPhone)}'s and the email ${describe(byEmail)}'s: merge the two contacts first, or fix the row`,
      [{ path: 'body.email', message: `Belongs to ${describe(byEmail)}, not to ${describe(byPhone)}` }]);
  }
  const found = byPhone ?? byEmail;
  // Found by phone or email but holding another id: two records of the other system for one person, or a typo.
  const theirs = field && item.matchKey && found ? found.fields[field] : undefined;
  if (found && theirs !== undefined && theirs !== null && theirs !== '' && theirs !== item.matchKey) {
    const key = found === byPhone ? 'phone' : 'email';
    throw new HttpError(409, 'conflict', `The ${key} belongs to ${describe(found)}, whose ${field} is ${JSON.stringify(theirs)}, not "${item.matchKey}": fix the row or that contact`,
      [{ path: `body.fields.${field}`, message: `${describe(found)} has ${JSON.stringify(theirs)}` }]);
  }
  return found;
}

export const describe = (c: Contact) => {
  const name = `${c.firstName} ${c.lastName}`.trim();
  return name ? `${name} (${c.id})` : c.id;
};

/** A later row of the file (the same person twice) finds the contact as this row left it. */
export function remember(known: Known, before: Contact | undefined, after: Contact, field?: { key: string; index: FieldIndex }) {
  if (before?.phone && before.phone !== after.phone) known.byPhone.delete(before.phone);
  if (before?.email && before.email !== after.email) known.byEmail.delete(before.email);
  if (after.phone) known.byPhone.set(after.phone, after);
  if (after.email) known.byEmail.set(after.email, after);
  if (!field) return;
  const old = before?.fields[field.key];
  const now = after.fields[field.key];
  if (typeof old === 'string' && old !== now) {
    field.index.get(old)?.delete(after.id);
    known.byField.set(old, (known.byField.get(old) ?? []).filter((c) => c.id !== after.id));
  }
  if (typeof now === 'string' && now !== '') {
    if (!field.index.has(now)) field.index.set(now, new Set());
    field.index.get(now)!.add(after.id);
    known.byField.set(now, [...(known.byField.get(now) ?? []).filter((c) => c.id !== after.id), after]);
  }
}
