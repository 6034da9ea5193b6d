import type { Contact } from '../../lib/contracts/contacts';
import type { ContactRef } from '../../lib/contracts/apps';
import type { Principal } from '../auth/principal';
import { findContactBy } from '../domain/contacts';
import { HttpError, unprocessable } from '../http-error';
import type { Executor } from '../store/database';

/**
 * Finds the contact an app (or a user) names. A caller that may read contacts learns that there
 * is none (422); an app key without `contacts.read` must not learn whether a contact exists, so
 * for it "not found" is not an error: `hidden` tells the route to answer the same either way.
 */
export async function resolveContactRef(db: Executor, principal: Principal | null, ref: ContactRef): Promise<{ contact: Contact | undefined; hidden: boolean }> {
  const hidden = !readsContacts(principal);
  const [by, value] = Object.entries(ref)[0] as ['id' | 'phone' | 'email', string];
  const contact = await findContactBy(db, by, value);
  if (!contact && !hidden) throw unprocessable(`There is no contact with ${by} ${value}`, [{ path: `contact.${by}`, message: `No contact with ${by} ${value}` }]);
  return { contact, hidden };
}

/** What a caller that may not read contacts is told: nothing that depends on the contact (no notes either). */
export const HIDDEN_ACK = { eventId: null, runIds: [] as string[] };

/** Users read contacts; an app key only with `contacts.read` ("scopes are exact"). */
export const readsContacts = (principal: Principal | null) => principal?.kind !== 'app' || principal.scopes.includes('contacts.read');

/**
 * A contact write by a caller that may not read contacts (an app key with `tags.write` or
 * `contacts.write` only): done when the contact exists, nothing when it does not, and the route
 * answers 204 either way, so the key learns neither the contact's record nor whether it exists.
 */
export async function writeUnseen(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (!(err instanceof HttpError && err.statusCode === 404)) throw err;
  }
}

/**
 * A conversation's contact as the caller may see it: whole, or for an app key without
 * `contacts.read` (a `conversations.read` key) only its id, every other property empty.
 */
export function contactAsSeen(principal: Principal | null, contact: Contact): Contact {
  if (readsContacts(principal)) return contact;
  return { id: contact.id, firstName: '', lastName: '', phone: null, email: null, tags: [], fields: {}, lifecycle: null, createdAt: contact.createdAt };
}
