import type { z } from 'zod';
import type { Contact, ContactPatchBody } from '../../../lib/contracts/contacts';
import { requireStorableContact } from '../../domain/contact-limits';
import { findContactBy, getContact, requireLifecycleStage } from '../../domain/contacts';
import { inTransaction } from '../../events/unit-of-work';
import { conflict, HttpError } from '../../http-error';
import type { Services } from '../../services';
import { ChatwootApiError, type ChatwootContactChange } from './api';
import { apiFor, listConnections, setSyncState, type ChatwootConnection } from './connections';
import { editRefused } from './edit-refusal';
import { identityChannel, lockMirror, type ContactState, type MirrorContext } from './mirror-contact';
import { loadObject } from './objects';
import { pendingOf, preRecord, restore } from './pending-state';

/** What PATCH /contacts/:id may change (lifecycle has no Chatwoot counterpart: it stays here). */
type ContactEdit = z.infer<typeof ContactPatchBody>;

export interface Mirror { conn: ChatwootConnection; cwId: number }

/**
 * A person's (or an app's) edit of a contact that lives in Chatwoot (PATCH /contacts/:id, which the
 * built-in inbox's contact panel uses) is made in Chatwoot first, as if made there: name, email,
 * phone and custom fields (Chatwoot's custom attributes with the same keys, as the mirror reads
 * them) go in one PUT …/contacts/{id}, then `write` makes the local change. Both or neither: the
 * companion's own checks come first, a refusal from Chatwoot ("Email has already been taken") or a
 * Chatwoot that cannot be reached is the caller's error and nothing is written here; writing only
 * here would be undone by the next sync and never seen by the agent in Chatwoot.
 *
 * A contact is Chatwoot's when the mirror knows its Chatwoot id (channel_identities), with or
 * without a conversation open. The echo of the PUT (contact_updated) finds its values recorded
 * already (pending-state.ts) and fires nothing: Contact Field Updated fires once, for this edit.
 */
export async function editThroughChatwoot<R>(services: Services, contactId: string, edit: ContactEdit, write: () => Promise<R>): Promise<R> {
  const mirrors = await mirrorsOf(services, contactId);
  if (mirrors.length === 0) return write();
  const contact = await getContact(services.db, contactId);
  await checkHere(services, contactId, edit);
  const pushed: Mirror[] = [];
  for (const mirror of mirrors) {
    if (await pushTo(services, mirror, contact, edit, pushed)) pushed.push(mirror);
  }
  try {
    return await write();
  } catch (err) {
    // Taken here in the instant between the check and the write: say that Chatwoot has it.
    if (err instanceof HttpError && err.statusCode < 500 && pushed.length) {
      throw new HttpError(err.statusCode, err.code, `${err.message} (${already(pushed)})`, err.details, err.headers);
    }
    throw err;
  }
}

/** The Chatwoot contacts this contact mirrors, one per connected account at most. */
export async function mirrorsOf(services: Services, contactId: string): Promise<Mirror[]> {
  const mirrors: Mirror[] = [];
  for (const conn of await listConnections(services, services.db)) {
    const row = await services.db.selectFrom('channel_identities').select('external_id')
      .where('channel', '=', identityChannel(conn.row.id)).where('contact_id', '=', contactId).executeTakeFirst();
    if (row) mirrors.push({ conn, cwId: Number(row.external_id) });
  }
  return mirrors;
}

/** What updateContact would refuse, refused before Chatwoot is asked (the same words). */
async function checkHere(services: Services, contactId: string, edit: ContactEdit) {
  requireStorableContact(edit);
  if (edit.lifecycle) await inTransaction(services.db, (uow) => requireLifecycleStage(uow, edit.lifecycle!));
  for (const key of ['phone', 'email'] as const) {
    const value = edit[key];
    const other = value ? await findContactBy(services.db, key, value) : undefined;
    if (other && other.id !== contactId) throw conflict(`A contact with ${key} ${value} already exists`);
  }
}

/** One account's PUT, when the edit changes something Chatwoot holds; true when it was made. */
async function pushTo(services: Services, mirror: Mirror, contact: Contact, edit: ContactEdit, pushed: Mirror[]): Promise<boolean> {
  const { conn, cwId } = mirror;
  const planned = await inMirror(services, conn, async (ctx) => {
    const stored = await loadObject<ContactState>(ctx.uow.trx, conn.row.id, 'contact', cwId);
    const change = chatwootChange(contact, edit, stored?.state);
    return change && { change, previous: await preRecord(ctx, cwId, pendingOf(change)) };
  });
  if (!planned) return false;
  try {
    await apiFor(services, conn).updateContact(cwId, planned.change);
  } catch (err) {
    // Always put the old values back (no retry follows, unlike a step's): a request that did
    // arrive after all then comes here through its echo, as Chatwoot's change.
    await inMirror(services, conn, (ctx) => restore(ctx, cwId, pendingOf(planned.change), planned.previous));
    if (!(err instanceof ChatwootApiError)) throw err;
    if (err.reason === 'unauthorized') await setSyncState(services.db, conn.row.id, { error: err.message });
    throw editRefused(err, { cwId, ...(pushed.length ? { already: already(pushed) } : {}) });
  }
  return true;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The PUT body: what the edit changes compared with what Chatwoot holds as far as the mirror knows
 * (the companion's copy when it knows nothing yet). Chatwoot keeps one `name`: first and last
 * joined, as the mirror splits them. A cleared field is sent as null (Chatwoot merges custom
 * attributes, so one request does it all; the attribute shows empty).
 */
function chatwootChange(contact: Contact, edit: ContactEdit, held: ContactState | undefined): ChatwootContactChange | undefined {
  const change: ChatwootContactChange = {};
  if (edit.firstName !== undefined || edit.lastName !== undefined) {
    const name = `${edit.firstName ?? contact.firstName} ${edit.lastName ?? contact.lastName}`.trim();
    if (name !== (held?.name ?? `${contact.firstName} ${contact.lastName}`.trim())) change.name = name;
  }
  if (edit.email !== undefined && (edit.email || null) !== (held ? held.email : contact.email)) change.email = edit.email ?? '';
  if (edit.phone !== undefined && (edit.phone || null) !== (held ? held.phone : contact.phone)) change.phone_number = edit.phone ?? '';
  const attributes = Object.fromEntries(Object.entries(edit.fields ?? {})
    .filter(([key, value]) => !same(held ? held.custom_attributes[key] : contact.fields[key], value)));
  if (Object.keys(attributes).length) change.custom_attributes = attributes;
  return Object.keys(change).length ? change : undefined;
}

export const already = (pushed: Mirror[]) => `Chatwoot ${pushed.map((m) => `"${m.conn.row.name}" (its contact ${m.cwId})`).join(' and ')} has the change already`;

/** As the webhooks and steps do: one writer of an account's mirror at a time (lockMirror). */
export const inMirror = <R>(services: Services, conn: ChatwootConnection, fn: (ctx: MirrorContext) => Promise<R>) => inTransaction(services.db, async (uow) => {
  const ctx: MirrorContext = { uow, services, conn, notes: [] };
  await lockMirror(ctx);
  return fn(ctx);
});
