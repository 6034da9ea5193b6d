import type { FieldValue } from '../../../lib/contracts/contacts';
import { isInternational, nationalReading } from '../../../lib/workflow/national-phone';
import { createContact, findContactBy, updateContact, type Cause } from '../../domain/contacts';
import { cachedDefaultCountry } from '../../domain/default-country';
import { heldContactId } from '../../domain/delete-contact';
import { listFields } from '../../domain/fields';
import { coerceFieldValue } from '../../engine/steps/update-contact-field';
import type { UnitOfWork } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { toE164 } from '../../webhooks/phone';
import type { ChatwootConnection } from './connections';
import { isStale, loadObject, saveObject } from './objects';
import type { CwContact } from './payloads';

export interface MirrorContext { uow: UnitOfWork; services: Services; conn: ChatwootConnection; notes: string[] }
export interface ContactState { name: string; email: string | null; phone: string | null; custom_attributes: Record<string, unknown> }

/**
 * Serialises everything that writes one account's mirror (webhooks, reconcile, resolve, steps):
 * on PostgreSQL two of them reading the same applied state at once could both open a
 * conversation. SQLite runs one write transaction at a time already.
 */
export async function lockMirror(ctx: Pick<MirrorContext, 'uow' | 'services' | 'conn'>) {
  if (ctx.services.store.dialect !== 'postgres') return;
  await ctx.uow.trx.selectFrom('connections').select('id').where('id', '=', ctx.conn.row.id).forUpdate().execute();
}

/** channel_identities row naming a Chatwoot contact of one connected account. */
export const identityChannel = (connectionId: string) => `chatwoot:${connectionId}`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const splitName = (name: string) => {
  const [first = '', ...rest] = name.trim().split(/\s+/);
  return { firstName: first.slice(0, 100), lastName: rest.join(' ').slice(0, 100) };
};
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function contactIdOf(ctx: MirrorContext, cwContactId: number): Promise<string | undefined> {
  return (await ctx.uow.trx.selectFrom('channel_identities').select('contact_id')
    .where('channel', '=', identityChannel(ctx.conn.row.id)).where('external_id', '=', String(cwContactId)).executeTakeFirst())?.contact_id;
}

/** The Chatwoot contact (its id) a companion contact mirrors in this account, when known. */
export async function cwContactIdOf(ctx: MirrorContext, contactId: string): Promise<number | undefined> {
  const row = await ctx.uow.trx.selectFrom('channel_identities').select('external_id')
    .where('channel', '=', identityChannel(ctx.conn.row.id)).where('contact_id', '=', contactId).executeTakeFirst();
  return row ? Number(row.external_id) : undefined;
}

/**
 * A Chatwoot contact as a companion contact: matched by the Chatwoot id (identity), then phone,
 * then email, else created; the identity is kept. With `attributes`, what changed in Chatwoot
 * since the last applied state (names, phone, email, custom attributes → fields with the same
 * key) is written, firing field triggers; an older state than the applied one changes nothing.
 * An imported cause (the contact of an imported conversation) holds only for a contact seen here
 * for the first time: a change to one already mirrored is news.
 */
export async function applyContact(ctx: MirrorContext, cw: CwContact, opts: { version: number | null; attributes: boolean; cause: Cause }): Promise<string> {
  const { uow, services, conn } = ctx;
  const trx = uow.trx;
  const stored = await loadObject<ContactState>(trx, conn.row.id, 'contact', cw.id);
  const cause: Cause = opts.cause.imported && stored ? { ...opts.cause, imported: false } : opts.cause;
  // Read (cached 5 s) only for a number written without its country code.
  let country: Promise<string | null> | undefined;
  const defaultCountry = () => (country ??= cachedDefaultCountry(services.db, trx));
  const phone = cw.phone_number ? await readPhone(cw.phone_number, defaultCountry) : null;
  const email = cw.email && EMAIL.test(cw.email.trim()) ? cw.email.trim().toLowerCase().slice(0, 254) : null;
  const name = (cw.name ?? '').trim();
  // Each one found is held (heldContactId): one deleted at this moment is not found (a new contact
  // is made), or is deleted after this delivery, with what it wrote.
  const identity = await contactIdOf(ctx, cw.id);
  let contactId = identity && await heldContactId(trx, 'id', identity);
  if (!contactId && phone) contactId = await heldContactId(trx, 'phone', phone);
  if (!contactId && email) contactId = await heldContactId(trx, 'email', email);
  let created = false;
  if (!contactId) {
    contactId = (await createContact(uow, services, { ...splitName(name), phone, email, tags: [], fields: {} }, cause)).id;
    created = true;
  }
  // An identity naming a contact that is gone (deleted since it was read) goes over to this one.
  await trx.insertInto('channel_identities').values({ channel: identityChannel(conn.row.id), external_id: String(cw.id), contact_id: contactId, created_at: nowIso() })
    .onConflict((oc) => (identity && identity !== contactId ? oc.columns(['channel', 'external_id']).doUpdateSet({ contact_id: contactId }) : oc.columns(['channel', 'external_id']).doNothing())).execute();

  if (stored && (!opts.attributes || isStale(stored.version, opts.version))) return contactId;
  const prev = stored?.state;
  const patch: { firstName?: string; lastName?: string; phone?: string | null; email?: string | null; fields?: Record<string, FieldValue> } = {};
  if (prev && name !== prev.name && name !== '') Object.assign(patch, splitName(name));
  if (prev && phone && phone !== prev.phone && !(await takenByOther(ctx, 'phone', phone, contactId))) patch.phone = phone;
  if (prev && email && email !== prev.email && !(await takenByOther(ctx, 'email', email, contactId))) patch.email = email;

  const defs = new Map((await listFields(trx)).map((f) => [f.key, f]));
  const fields: Record<string, FieldValue> = {};
  for (const key of new Set([...Object.keys(cw.custom_attributes), ...Object.keys(prev?.custom_attributes ?? {})])) {
    const def = defs.get(key);
    const value = cw.custom_attributes[key];
    if (!def || (prev && same(prev.custom_attributes[key], value))) continue;
    if (created && (value === undefined || value === null)) continue;
    // A phone field's number without its country code is read in the default country, as the contacts API reads it.
    const phoneCountry = def.type === 'phone' && value !== undefined && value !== null ? await defaultCountry() : null;
    const coerced = value === undefined || value === null ? { value: null } : coerceFieldValue(def, typeof value === 'object' ? JSON.stringify(value) : typeof value === 'number' ? value : String(value), phoneCountry);
    if ('error' in coerced) ctx.notes.push(`Chatwoot attribute "${key}" not copied to the field: ${coerced.error}`);
    else fields[key] = coerced.value;
  }
  if (Object.keys(fields).length) patch.fields = fields;
  if (Object.keys(patch).length) await updateContact(uow, services, contactId, patch, cause);
  await saveObject(trx, conn.row.id, 'contact', cw.id, opts.version ?? stored?.version ?? 0,
    { name, email, phone, custom_attributes: cw.custom_attributes } satisfies ContactState, contactId);
  return contactId;
}

/**
 * The contact's phone_number. Chatwoot keeps E.164 (Contact's phone_number format check,
 * app/models/contact.rb), but a number without "+" (saved before that check, or written into its
 * database by an import) is read as every number typed without its country code is here: in the
 * workspace's default country (national-phone.ts); failing that, as before, as digits that start
 * with their country code (WhatsApp's wa_id).
 */
async function readPhone(raw: string, defaultCountry: () => Promise<string | null>): Promise<string | null> {
  if (!isInternational(raw)) {
    const read = nationalReading(raw, await defaultCountry());
    if (read && 'phone' in read) return read.phone;
  }
  return toE164(raw) ?? null;
}

async function takenByOther(ctx: MirrorContext, by: 'phone' | 'email', value: string, contactId: string) {
  const other = await findContactBy(ctx.uow.trx, by, value);
  if (other && other.id !== contactId) {
    ctx.notes.push(`Chatwoot contact's ${by} ${value} belongs to another companion contact (${other.id}); not copied`);
    return true;
  }
  return false;
}
