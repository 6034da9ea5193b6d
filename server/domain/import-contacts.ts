import { sql } from 'kysely';
import { isSupportedCountry } from 'libphonenumber-js';
import type {
  ContactImportInvalidField, ContactImportMatch, ContactImportResult, ContactImportRowResult,
} from '../../lib/contracts/contact-import';
import type { Contact } from '../../lib/contracts/contacts';
import type { ErrorDetail } from '../../lib/contracts/errors';
import { retryingLockConflicts } from '../engine/workflows/cancel-runs';
import { flushPendingEvents } from '../events/recorder';
import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { HttpError, unprocessable } from '../http-error';
import type { Services } from '../services';
import { runShaped } from '../store/compiled-sql';
import type { ContactsTable } from '../store/schema';
import { triggerMatchOf } from '../engine/dispatch/event-triggers';
import { prefetchListeners } from '../engine/dispatch/trigger-index';
import { PartRowByRow, writeContactPart } from './import-write';
import { isUniqueViolation, isUnstorableText, UNSTORABLE_TEXT } from '../store/database';
import { NUL_MESSAGE, nulPaths } from '../../lib/workflow/nul-text';
import { changeTags, createContact, getLifecycleStages, updateContact, type Cause } from './contacts';
import { listFields } from './fields';
import { contactsNamed, describe, fieldOf, freshIndex, matchOf, remember, type FieldIndex, type Known, type MatchState } from './import-match';
import { checkRow, rowFailure, type CheckedRow, type RowRules } from './import-row-check';

/**
 * Rows per transaction (a part). Each row is atomic and independent of the others (a part's rows
 * are written together, or each in its own savepoint when the database refuses one); a
 * transaction of many rows commits once, and ending it every so many rows lets the writers that
 * wait on SQLite's one write lock (run rounds, webhooks) in between.
 */
const ROWS_PER_TRANSACTION = 250;

/** The note of an imported change (EventInput.importNote): the events table and run log say why nothing ran. */
export const CONTACT_IMPORT_NOTE = 'imported: a contact import without "Run workflows", so no trigger fires';

export interface ImportOptions {
  match: ContactImportMatch;
  onInvalidField: ContactImportInvalidField;
  defaultCountry?: string | undefined;
}

type MatchField = { key: string; index: FieldIndex };

/**
 * Creates or updates one contact per row (POST /contacts/import). A row is checked as POST
 * /contacts and PATCH check theirs, finds its contact by `match`, and is saved whole or not at all;
 * a bad row is an error in the answer and never holds back the others. `cause.imported`: the
 * changes are recorded but start no run (the default, as Chatwoot's first sync is).
 */
export async function importContacts(services: Services, rows: readonly unknown[], options: ImportOptions, cause: Cause): Promise<ContactImportResult> {
  const { match, onInvalidField, defaultCountry } = options;
  if (defaultCountry && !isSupportedCountry(defaultCountry)) {
    throw unprocessable(`"${defaultCountry}" is not a country with a known phone numbering plan`, [{ path: 'defaultCountry', message: 'Unknown country code' }]);
  }
  const defs = new Map((await listFields(services.db)).map((f) => [f.key, f]));
  const matchField = fieldOf(match);
  if (matchField) requireMatchField(defs.get(matchField)?.type, matchField);
  const { stages } = await getLifecycleStages(services.db);
  const rules: RowRules = { defs, stages, onInvalidField, defaultCountry, matchField };
  const results: ContactImportRowResult[] = new Array(rows.length);
  const valid: CheckedRow[] = [];
  rows.forEach((raw, index) => {
    const checked = checkRow(raw, index, rules);
    if ('error' in checked) results[index] = checked.error;
    else valid.push(checked);
  });
  const keys = valid.flatMap((c) => (c.matchKey ? [c.matchKey] : []));
  // Read in the first transaction, in its turn (freshIndex): read before it, another import of the
  // same file could create the same contacts in between.
  let field: MatchState | undefined = matchField ? { key: matchField, index: new Map(), turn: undefined } : undefined;
  for (let i = 0; i < valid.length; i += ROWS_PER_TRANSACTION) {
    const chunk = valid.slice(i, i + ROWS_PER_TRANSACTION);
    // A lock cycle with a run round (PostgreSQL) rolls the chunk back whole: tried again, from the
    // field index as the last committed chunk left it.
    const committed = field;
    const saved = await retryingLockConflicts(() => inTransaction(services.db, async (uow) => {
      const attempt = committed && await freshIndex(uow.trx, committed, keys);
      return { out: await importChunk(uow, services, chunk, match, cause, attempt), attempt };
    }));
    field = saved.attempt;
    for (const r of saved.out) results[r.index] = r;
  }
  const count = (status: ContactImportRowResult['status']) => results.filter((r) => r.status === status).length;
  return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), failed: count('error'), results };
}

/** An id another system gave (Chatwoot's identifier, respond.io's Contact ID) is text, even when it is digits. */
function requireMatchField(type: string | undefined, key: string) {
  if (type === 'text') return;
  throw unprocessable(type
    ? `The custom field "${key}" is a ${type} field: contacts are found by a text field (an id is text even when it is digits)`
    : `There is no custom field "${key}"; define it under /fields first, as a text field`, [{ path: 'body.match.field', message: type ? 'Not a text field' : 'Unknown field' }]);
}

async function importChunk(uow: UnitOfWork, services: Services, chunk: readonly CheckedRow[], match: ContactImportMatch, cause: Cause, field: MatchField | undefined) {
  const index = field && copyIndex(field.index);
  const known = await contactsNamed(uow, chunk, field);
  await savepoint(uow, 'SAVEPOINT', 'import_part');
  try {
    const results = await importPart(uow, services, chunk, match, known, cause, field);
    await savepoint(uow, 'RELEASE SAVEPOINT', 'import_part');
    return results;
  } catch (err) {
    if (!rowsFault(err)) throw err;
    // A row the database refused (a value taken meanwhile, a NUL): the part again, row by row,
    // from what it read, so that row alone is refused.
    await savepoint(uow, 'ROLLBACK TO SAVEPOINT', 'import_part');
    await savepoint(uow, 'RELEASE SAVEPOINT', 'import_part');
    if (field) field.index = index!;
    return importRowByRow(uow, services, chunk, match, await contactsNamed(uow, chunk, field), cause, field);
  }
}

const rowsFault = (err: unknown) => err instanceof PartRowByRow
  || (err instanceof HttpError ? err.statusCode < 500 : isUnstorableText(err) || isUniqueViolation(err));

const copyIndex = (index: FieldIndex): FieldIndex => new Map([...index].map(([v, ids]) => [v, new Set(ids)]));

/**
 * The part's rows checked and matched one after the other, as row by row, but written together
 * (import-write.ts) and their events recorded after, the listening workflows looked up once. A
 * row refused before it changed anything is that row's error; one refused later (not expected)
 * sends the part row by row.
 */
async function importPart(uow: UnitOfWork, services: Services, chunk: readonly CheckedRow[], match: ContactImportMatch, known: Known, cause: Cause, field: MatchField | undefined) {
  const held: NonNullable<UnitOfWork['heldEvents']> = [];
  const created: ContactsTable[] = [];
  const part = { trx: uow.trx, newContacts: created, heldEvents: held, dirtyContacts: new Map<string, string>(), written: new Map<string, Contact>() };
  const callbacks: (() => void)[] = [];
  const results: ContactImportRowResult[] = [];
  for (const item of chunk) {
    const skipped = item.skipped.length ? { skipped: item.skipped } : {};
    const before = held.length + created.length;
    const rowCallbacks: (() => void)[] = [];
    try {
      results.push({ ...await importRow({ ...part, afterCommit: (cb) => rowCallbacks.push(cb) }, services, item, match, known, cause, field), ...skipped });
      callbacks.push(...rowCallbacks);
    } catch (err) {
      if (held.length + created.length !== before) throw new PartRowByRow('a row failed after it changed something');
      results.push({ ...rowFailed(err, item), ...skipped });
    }
  }
  await writeContactPart(uow.trx, created, part.dirtyContacts, part.written);
  // As a run round does: events inserted together at the end, listeners looked up once for all.
  const recording: UnitOfWork = { trx: uow.trx, afterCommit: uow.afterCommit, pendingEvents: [], listeners: new Map() };
  await prefetchListeners(recording, held.flatMap(({ event, input }) => triggerMatchOf({ ...event, source: input.source }) ?? []));
  for (const { event, input } of held) await services.events.record(recording, event, input);
  await flushPendingEvents(recording);
  for (const cb of callbacks) uow.afterCommit(cb);
  return results;
}

/** The slow way, when the part's rows could not be written together: a savepoint per row. */
async function importRowByRow(uow: UnitOfWork, services: Services, chunk: readonly CheckedRow[], match: ContactImportMatch, known: Known, cause: Cause, field: MatchField | undefined) {
  const events: NonNullable<UnitOfWork['pendingEvents']> = [];
  const listeners: NonNullable<UnitOfWork['listeners']> = new Map();
  const results: ContactImportRowResult[] = [];
  for (const item of chunk) {
    const callbacks: (() => void)[] = [];
    const rowUow: UnitOfWork = { trx: uow.trx, afterCommit: (cb) => callbacks.push(cb), pendingEvents: events, listeners };
    const recorded = events.length;
    const skipped = item.skipped.length ? { skipped: item.skipped } : {};
    await savepoint(uow, 'SAVEPOINT', 'import_row');
    try {
      const saved = await importRow(rowUow, services, item, match, known, cause, field);
      await savepoint(uow, 'RELEASE SAVEPOINT', 'import_row');
      for (const cb of callbacks) uow.afterCommit(cb);
      results.push({ ...saved, ...skipped });
    } catch (err) {
      // The row's statements are undone, its events and notifications dropped; the next row goes on.
      await savepoint(uow, 'ROLLBACK TO SAVEPOINT', 'import_row');
      await savepoint(uow, 'RELEASE SAVEPOINT', 'import_row');
      events.length = recorded;
      results.push({ ...rowFailed(err, item), ...skipped });
    }
  }
  await flushPendingEvents({ ...uow, pendingEvents: events });
  return results;
}

/** The row's error in the answer; a failure that is not the row's own (the server's) is thrown on. */
function rowFailed(err: unknown, item: CheckedRow): ContactImportRowResult {
  const refused = rowRefusal(err, item.row);
  if (!refused) throw err;
  const details = refused.details?.map((d) => ({ ...d, path: d.path.replace(/^body\./, `contacts.${item.index}.`) }));
  // A NUL found in the row: the message names its values too (rowFailure's `contacts[1].firstName: …`).
  const named = isUnstorableText(err) && details?.length;
  return rowFailure(item.index, details ?? [], named ? undefined : `contacts[${item.index}]: ${refused.message}`);
}

/** What a row's failure says, when it is the row's own (bad input, a value another contact took meanwhile); undefined for the server's. */
function rowRefusal(err: unknown, row: unknown): { message: string; details?: ErrorDetail[] } | undefined {
  if (err instanceof HttpError) return err.statusCode < 500 ? { message: err.message, ...(err.details ? { details: err.details } : {}) } : undefined;
  // The database names no value: the row's NUL is looked for, as a 422 names it (error-handler.ts).
  if (isUnstorableText(err)) return { message: UNSTORABLE_TEXT, details: nulPaths(row).map((p) => ({ path: ['body', ...p].join('.'), message: NUL_MESSAGE })) };
  // Not among the contacts read for the chunk: written by someone else since.
  if (isUniqueViolation(err)) return { message: 'Another contact got this phone or email at the same moment; import the row again to update that contact' };
  return undefined;
}

/**
 * A part's or a row's savepoint. Setting and releasing it go out with the row's next statement (DEFERRED,
 * PostgreSQL): a row costs its own statements' round trips, not two more. A rollback is awaited.
 */
const savepoint = (uow: UnitOfWork, command: 'SAVEPOINT' | 'RELEASE SAVEPOINT' | 'ROLLBACK TO SAVEPOINT', name: 'import_row' | 'import_part') =>
  runShaped(uow.trx, `${name}:${command}`, [], () => sql.raw(`${command} ${name}`), { deferred: command !== 'ROLLBACK TO SAVEPOINT' });

async function importRow(
  uow: UnitOfWork, services: Services, item: CheckedRow, match: ContactImportMatch, known: Known, cause: Cause, field: MatchField | undefined,
): Promise<ContactImportRowResult> {
  const { index, row, fields } = item;
  const existing = matchOf(item, match, known);
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
      firstName: row.firstName ?? '', lastName: row.lastName ?? '', phone: row.phone ?? null, email: row.email ?? null,
      tags: row.tags ?? [], fields: fields ?? {}, lifecycle: row.lifecycle ?? null,
    }, cause);
    status = 'created';
  } else {
    const { tags, fields: _given, lifecycle, ...standard } = row;
    // An unchanged stage is not passed on: updateContact would read the stages again for each row.
    const stage = lifecycle !== undefined && lifecycle !== (existing.lifecycle ?? null) ? { lifecycle } : {};
    saved = await updateContact(uow, services, existing.id, { ...standard, ...stage, ...(fields ? { fields } : {}) }, cause, existing);
    if (tags?.length) saved = await changeTags(uow, services, existing.id, 'add', tags, cause, saved);
    status = sameContact(existing, saved) ? 'unchanged' : 'updated';
  }
  remember(known, existing, saved, field);
  return { index, status, contactId: saved.id };
}

const sameContact = (a: Contact, b: Contact) => a.firstName === b.firstName && a.lastName === b.lastName && a.phone === b.phone
  && a.email === b.email && (a.lifecycle ?? null) === (b.lifecycle ?? null) && a.tags.length === b.tags.length
  && JSON.stringify(a.fields) === JSON.stringify(b.fields);
