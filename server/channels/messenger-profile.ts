import { getContact, updateContact } from '../domain/contacts';
import { inTransaction } from '../events/unit-of-work';
import type { Services } from '../services';
import type { ConnectionsTable } from '../store/schema';
import { channelToken } from './connections';
import { graphCall } from './graph';

export const MESSENGER_PLACEHOLDER_FIRST_NAME = 'Messenger user';

/**
 * Names a new Messenger contact from the User Profile API (GET /{psid}?fields=first_name,last_name
 * with the Page token; https://developers.facebook.com/docs/messenger-platform/identity/user-profile),
 * after the message is stored: the webhook never waits on it, and a refusal (no profile access
 * granted) leaves the placeholder name. A name someone already changed is left alone.
 */
export async function nameMessengerContact(services: Services, channel: ConnectionsTable, psid: string, contactId: string): Promise<void> {
  try {
    const profile = await graphCall<{ first_name?: string; last_name?: string }>(
      { method: 'GET', path: `/${psid}`, token: channelToken(services, channel), query: { fields: 'first_name,last_name' } },
      { baseUrl: services.config.metaGraphUrl, attempts: 1, timeoutMs: 5000 },
    );
    const firstName = profile.first_name?.trim().slice(0, 100);
    if (!firstName) return;
    await inTransaction(services.db, async (uow) => {
      const contact = await getContact(uow.trx, contactId);
      if (contact.firstName !== MESSENGER_PLACEHOLDER_FIRST_NAME) return;
      await updateContact(uow, services, contactId, { firstName, lastName: profile.last_name?.trim().slice(0, 100) ?? '' }, { source: 'contact' });
    });
  } catch (err) {
    services.log.info({ err: (err as Error).message, psid }, 'messenger profile not available; keeping the placeholder name');
  }
}
