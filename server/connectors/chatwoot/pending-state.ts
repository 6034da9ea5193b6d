import type { ChatwootContactChange } from './api';
import type { ContactState, MirrorContext } from './mirror-contact';
import { loadObject, saveObject } from './objects';

/**
 * A write of ours to a Chatwoot contact, as the mirror's applied state holds it: its own fields
 * and custom attributes (null: cleared).
 *
 * Chatwoot sends contact_updated from a background job right after saving, so its echo of our
 * write may arrive before Chatwoot answers the request. The applied state therefore takes the new
 * values before the request (preRecord): the echo then finds nothing new whenever it comes, and
 * fires nothing as if an agent had changed the contact. When Chatwoot did not take it, each value
 * goes back (restore) unless a webhook has replaced it meanwhile (Chatwoot's word is newer).
 */
export type PendingState = Partial<Pick<ContactState, 'name' | 'email' | 'phone'>> & { custom_attributes?: Record<string, unknown> };

const STANDARD = ['name', 'email', 'phone'] as const;
/** As applyContact compares attribute values (mirror-contact.ts `same`): absent and null are one. */
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What a PUT …/contacts/{id} body changes ("" clears an email or phone, as Chatwoot reads it). */
export function pendingOf(change: ChatwootContactChange): PendingState {
  return {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.email !== undefined ? { email: change.email || null } : {}),
    ...(change.phone_number !== undefined ? { phone: change.phone_number || null } : {}),
    ...(change.custom_attributes ? { custom_attributes: change.custom_attributes } : {}),
  };
}

function withPending(state: ContactState, pending: PendingState): ContactState {
  const attrs = { ...state.custom_attributes };
  for (const [key, value] of Object.entries(pending.custom_attributes ?? {})) {
    if (value === null || value === undefined) delete attrs[key]; else attrs[key] = value;
  }
  const own = Object.fromEntries(STANDARD.filter((k) => pending[k] !== undefined).map((k) => [k, pending[k]]));
  return { ...state, ...own, custom_attributes: attrs };
}

/** Writes the change into the applied state; returns the state before, when there was one. */
export async function preRecord(ctx: MirrorContext, cwId: number, pending: PendingState): Promise<ContactState | undefined> {
  const stored = await loadObject<ContactState>(ctx.uow.trx, ctx.conn.row.id, 'contact', cwId);
  // None yet: the webhook will be this contact's first state, which changes no name, email or phone (applyContact).
  if (!stored) return undefined;
  await saveObject(ctx.uow.trx, ctx.conn.row.id, 'contact', cwId, stored.version, withPending(stored.state, pending), stored.companionId);
  return stored.state;
}

/** Chatwoot did not take it: its old values go back into the applied state, each unless a webhook has replaced it since. */
export async function restore(ctx: MirrorContext, cwId: number, pending: PendingState, previous: ContactState | undefined) {
  const stored = await loadObject<ContactState>(ctx.uow.trx, ctx.conn.row.id, 'contact', cwId);
  if (!stored || !previous) return;
  const state: ContactState = { ...stored.state, custom_attributes: { ...stored.state.custom_attributes } };
  let changed = false;
  for (const k of STANDARD) {
    if (pending[k] === undefined || stored.state[k] !== pending[k]) continue;
    Object.assign(state, { [k]: previous[k] });
    changed = true;
  }
  for (const [key, value] of Object.entries(pending.custom_attributes ?? {})) {
    if (!same(stored.state.custom_attributes[key], value)) continue;
    if (key in previous.custom_attributes) state.custom_attributes[key] = previous.custom_attributes[key];
    else delete state.custom_attributes[key];
    changed = true;
  }
  if (changed) await saveObject(ctx.uow.trx, ctx.conn.row.id, 'contact', cwId, stored.version, state, stored.companionId);
}
