import type { Contact } from '../../lib/contracts/contacts';
import type { ContactRef } from '../../lib/contracts/apps';
import type { Principal } from '../auth/principal';
import { findContactBy } from '../domain/contacts';
import { unprocessable } from '../http-error';
import type { Executor } from '../store/database';

/**
 * Finds the contact an app (or a user) names. A caller that may read contacts learns that there
 * is none (422); an app key without `contacts.read` must not learn whether a contact exists, so
 * for it "not found" is not an error: `hidden` tells the route to answer the same either way.
 */
export async function resolveContactRef(db: Executor, principal: Principal | null, ref: ContactRef): Promise<{ contact: Contact | undefined; hidden: boolean }> {
  const hidden = principal?.kind === 'app' && !principal.scopes.includes('contacts.read');
  const [by, value] = Object.entries(ref)[0] as ['id' | 'phone' | 'email', string];
  const contact = await findContactBy(db, by, value);
  if (!contact && !hidden) throw unprocessable(`There is no contact with ${by} ${value}`, [{ path: `contact.${by}`, message: `No contact with ${by} ${value}` }]);
  return { contact, hidden };
}

/** What a caller that may not read contacts is told: nothing that depends on the contact. */
export const HIDDEN_ACK = { eventId: null, runIds: [] as string[] };
