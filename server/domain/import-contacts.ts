import { sql } from 'kysely';
import {
  ContactImportRow, type ContactImportMatch, type ContactImportResult, type ContactImportRowResult,
} from '../../lib/contracts/contact-import';
import type { Contact, FieldDefinition, FieldValue } from '../../lib/contracts/contacts';
import type { ErrorDetail } from '../../lib/contracts/errors';
import { retryingLockConflicts } from '../engine/workflows/cancel-runs';
import { flushPendingEvents } from '../events/recorder';
import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { plainTypeMessage } from '../error-handler';
import { HttpError } from '../http-error';
import type { Services } from '../services';
import { runShaped } from '../store/compiled-sql';
import { isPostgres, isUniqueViolation, isUnstorableText, UNSTORABLE_TEXT } from '../store/database';
import { changeTags, createContact, toContact, updateContact, type Cause } from './contacts';
import { checkFieldValues, listFields } from './fields';

/**
 * Rows per transaction. Each row is its own savepoint (atomic, independent of the others); a
 * transaction of many rows commits once, and ending it every so many rows lets the writers that
 * wait on SQLite's one write lock (run rounds, webhooks) in between.
 */
const ROWS_PER_TRANSACTION = 250;

/** The note of an imported change (EventInput.importNote): the events table and run log say why nothing ran. */
export const CONTACT_IMPORT_NOTE = 'imported: a contact import without "Run workflows", so no trigger fires';

type Checked = { index: number; row: ContactImportRow; fields: Record<string, FieldValue> | undefined };

/**
 * Creates or updates one contact per row (POST /contacts/import). A row is checked as POST
 * /contacts and PATCH check theirs, finds its contact by `match`, and is saved whole or not at all;
 * a bad row is an error in the answer and never holds back the others. `cause.imported`: the
 * changes are recorded but start no run (the default, as Chatwoot's first sync is).
 */
export async function importContacts(
  services: Services, rows: readonly unknown[], match: ContactImportMatch, cause: Cause,
): Promise<ContactImportResult> {
  const results: ContactImportRowResult[] = new Array(rows.length);
  const defs = await listFields(services.db);
  const valid: Checked[] = [];
  rows.forEach((raw, index) => {
    const checked = checkRow(raw, index, defs);
    if ('error' in checked) results[index] = checked.error;
    else valid.push(checked);
  });
  for (let i = 0; i < valid.length; i += ROWS_PER_TRANSACTION) {
    const chunk = valid.slice(i, i + ROWS_PER_TRANSACTION);
    // A lock cycle with a run round (PostgreSQL) rolls the chunk back whole: tried again.
    const saved = await retryingLockConflicts(() => inTransaction(services.db, (uow) => importChunk(uow, services, chunk, match, cause)));
    for (const r of saved) results[r.index] = r;
  }
  const count = (status: ContactImportRowResult['status']) => results.filter((r) => r.status === status).length;
  return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), failed: count('error'), results };
}

function checkRow(raw: unknown, index: number, defs: readonly FieldDefinition[]): Checked | { error: ContactImportRowResult } {
  const parsed = ContactImportRow.safeParse(raw);
  if (!parsed.success) {
    return { error: failure(index, parsed.error.issues.map((i) => ({ path: ['contacts', index, ...i.path].join('.'), message: plainTypeMessage(i.message) }))) };
  }
  if (!parsed.data.fields) return { index, row: parsed.data, fields: undefined };
  const fields = checkFieldValues(defs, parsed.data.fields, `contacts.${index}.fields`);
  if ('details' in fields) return { error: failure(index, fields.details) };
  return { index, row: parsed.data, fields: fields.values };
}

/** `contacts.3.phone` as a person reads it: `contacts[3].phone`. */
const readable = (path: string) => path.replace(/^contacts\.(\d+)/, 'contacts[$1]');

function failure(index: number, details: ErrorDetail[], message?: string): ContactImportRowResult {
  const text = message ?? details.map((d) => `${readable(d.path)}: ${d.message}`).join('; ');
  return { index, status: 'error', contactId: null, message: text, details };
}

/** The contacts a chunk's rows name by phone or email, by each (PostgreSQL: locked, in id order, as run rounds lock theirs). */
async function contactsNamed(uow: UnitOfWork, chunk: readonly Checked[]) {
  const phones = [...new Set(chunk.flatMap((c) => (c.row.phone ? [c.row.phone] : [])))];
  const emails = [...new Set(chunk.flatMap((c) => (c.row.email ? [c.row.email] : [])))];
  const byPhone = new Map<string, Contact>();
  const byEmail = new Map<string, Contact>();
  if (phones.length === 0 && emails.length === 0) return { byPhone, byEmail };
  const q = uow.trx.selectFrom('contacts').selectAll().where((eb) => eb.or([
    ...(phones.length ? [eb('phone', 'in', phones)] : []),
    ...(emails.length ? [eb('email', 'in', emails)] : []),
  ])).orderBy('id');
  const rows = await (isPostgres(uow.trx) ? q.forUpdate() : q).execute();
  for (const row of rows) {
    const contact = toContact(row);
    if (contact.phone) byPhone.set(contact.phone, contact);
    if (contact.email) byEmail.set(contact.email, contact);
  }
  return { byPhone, byEmail };
}

async function importChunk(uow: UnitOfWork, services: Services, chunk: readonly Checked[], match: ContactImportMatch, cause: Cause) {
  const known = await contactsNamed(uow, chunk);
  // As a run round does: events inserted together at the end, listeners looked up once per trigger.
  const events: NonNullable<UnitOfWork['pendingEvents']> = [];
  const listeners: NonNullable<UnitOfWork['listeners']> = new Map();
  const results: ContactImportRowResult[] = [];
  for (const item of chunk) {
    const callbacks: (() => void)[] = [];
    const rowUow: UnitOfWork = { trx: uow.trx, afterCommit: (cb) => callbacks.push(cb), pendingEvents: events, listeners };
    const recorded = events.length;
    await savepoint(uow, 'SAVEPOINT');
    try {
      const saved = await importRow(rowUow, services, item, match, known, cause);
      await savepoint(uow, 'RELEASE SAVEPOINT');
      for (const cb of callbacks) uow.afterCommit(cb);
      results.push(saved);
    } catch (err) {
      // The row's statements are undone, its events and notifications dropped; the next row goes on.
      await savepoint(uow, 'ROLLBACK TO SAVEPOINT');
      await savepoint(uow, 'RELEASE SAVEPOINT');
      events.length = recorded;
      const refused = rowRefusal(err);
      if (!refused) throw err;
      const details = refused.details?.map((d) => ({ ...d, path: d.path.replace(/^body\./, `contacts.${item.index}.`) }));
      results.push(failure(item.index, details ?? [], `contacts[${item.index}]: ${refused.message}`));
    }
  }
  await flushPendingEvents({ ...uow, pendingEvents: events });
  return results;
}

/** What a row's failure says, when it is the row's own (bad input, a value another contact took meanwhile); undefined for the server's. */
function rowRefusal(err: unknown): { message: string; details?: ErrorDetail[] } | undefined {
  if (err instanceof HttpError) return err.statusCode < 500 ? { message: err.message, ...(err.details ? { details: err.details } : {}) } : undefined;
  if (isUnstorableText(err)) return { message: UNSTORABLE_TEXT };
  // Not among the contacts read for the chunk: written by someone else since.
  if (isUniqueViolation(err)) return { message: 'Another contact got this phone or email at the same moment; import the row again to update that contact' };
  return undefined;
}

/**
 * The row's savepoint. Setting and releasing it go out with the row's next statement (DEFERRED,
 * PostgreSQL): a row costs its own statements' round trips, not two more. A rollback is awaited.
 */
const savepoint = (uow: UnitOfWork, command: 'SAVEPOINT' | 'RELEASE SAVEPOINT' | 'ROLLBACK TO SAVEPOINT') =>
  runShaped(uow.trx, `importRow:${command}`, [], () => sql.raw(`${command} import_row`), { deferred: command !== 'ROLLBACK TO SAVEPOINT' });

type Known = Awaited<ReturnType<typeof contactsNamed>>;

async function importRow(uow: UnitOfWork, services: Services, { index, row, fields }: Checked, match: ContactImportMatch, known: Known, cause: Cause): Promise<ContactImportRowResult> {
  const existing = matchOf(row, match, known);
  // A phone or email another contact has is refused by the database anyway; said here with who has it and what to do.
  const other = (['phone', 'email'] as const).find((key) => {
    const value = row[key];
    const holder = value ? (key === 'phone' ? known.byPhone : known.byEmail).get(value) : undefined;
    return holder && holder.id !== existing?.id;
  });
  if (other) {
    const value = row[other]!;
    const holder = (other === 'phone' ? known.byPhone : known.byEmail).get(value)!;
    const hint = existing
      ? `this row updates ${describe(existing)}; merge the two contacts first, or fix the row`
      : `match by ${other} (or phone_or_email) to update that contact instead of creating another`;
    throw new HttpError(409, 'conflict', `The ${other} ${value} belongs to another contact, ${describe(holder)}: ${hint}`,
      [{ path: `body.${other}`, message: `Belongs to ${describe(holder)}` }]);
  }
  let saved: Contact;
  let status: ContactImportRowResult['status'];
  if (!existing) {
    saved = await createContact(uow, services, {
      firstName: row.firstName ?? '', lastName: row.lastName ?? '', phone: row.phone ?? null, email: row.email ?? null, tags: row.tags ?? [], fields: fields ?? {},
    }, cause);
    status = 'created';
  } else {
    const { tags, fields: _given, ...standard } = row;
    saved = await updateContact(uow, services, existing.id, { ...standard, ...(fields ? { fields } : {}) }, cause, existing);
    if (tags?.length) saved = await changeTags(uow, services, existing.id, 'add', tags, cause, saved);
    status = sameContact(existing, saved) ? 'unchanged' : 'updated';
  }
  remember(known, existing, saved);
  return { index, status, contactId: saved.id };
}

/** The contact the row updates; two different ones (phone_or_email) is a row to fix. */
function matchOf(row: ContactImportRow, match: ContactImportMatch, known: Known): Contact | undefined {
  const byPhone = match !== 'email' && row.phone ? known.byPhone.get(row.phone) : undefined;
  const byEmail = match !== 'phone' && row.email ? known.byEmail.get(row.email) : undefined;
  if (byPhone && byEmail && byPhone.id !== byEmail.id) {
    throw new HttpError(409, 'conflict', `The phone is ${describe(byPhone)}'s and the email ${describe(byEmail)}'s: merge the two contacts first, or fix the row`,
      [{ path: 'body.email', message: `Belongs to ${describe(byEmail)}, not to ${describe(byPhone)}` }]);
  }
  return byPhone ?? byEmail;
}

const describe = (c: Contact) => {
  const name = `${c.firstName} ${c.lastName}`.trim();
  return name ? `${name} (${c.id})` : c.id;
};

const sameContact = (a: Contact, b: Contact) => a.firstName === b.firstName && a.lastName === b.lastName && a.phone === b.phone
  && a.email === b.email && a.tags.length === b.tags.length && JSON.stringify(a.fields) === JSON.stringify(b.fields);

/** A later row of the file (the same person twice) finds the contact as this row left it. */
function remember(known: Known, before: Contact | undefined, after: Contact) {
  if (before?.phone && before.phone !== after.phone) known.byPhone.delete(before.phone);
  if (before?.email && before.email !== after.email) known.byEmail.delete(before.email);
  if (after.phone) known.byPhone.set(after.phone, after);
  if (after.email) known.byEmail.set(after.email, after);
}
