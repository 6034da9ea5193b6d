import { getContact, updateContact } from '../domain/contacts';
import { inTransaction } from '../events/unit-of-work';
import type { Services } from '../services';
import type { ConnectionsTable } from '../store/schema';
import { channelToken, findChannel } from './connections';
import { graphCall, GraphError } from './graph';

export const MESSENGER_PLACEHOLDER_FIRST_NAME = 'Messenger user';

/**
 * How long the webhook waits on the User Profile API for a sender it has never seen, per sender
 * and per delivery in all. Meta wants the delivery answered within seconds (a call times out after
 * 20 s, https://developers.facebook.com/docs/messenger-platform/faq, and is then delivered again);
 * the profile usually answers in a few hundred milliseconds. Past either limit the contact starts
 * with the placeholder and is renamed after the commit, as before.
 */
export const PROFILE_WAIT_MS = 1500;
export const PROFILE_BUDGET_PER_DELIVERY_MS = 3000;

/** A new sender's name, or why there is none: Meta refused (no profile access: asking again will not help) or did not answer in time. */
export type SenderProfile = { firstName: string; lastName: string } | 'refused' | 'unanswered';

/**
 * The User Profile API: GET /{psid}?fields=first_name,last_name with the Page token
 * (https://developers.facebook.com/docs/messenger-platform/identity/user-profile). One attempt:
 * a Page without the permission is refused every time.
 */
export async function readMessengerProfile(services: Services, channel: ConnectionsTable, psid: string, timeoutMs: number): Promise<SenderProfile> {
  try {
    const profile = await graphCall<{ first_name?: string; last_name?: string }>(
      { method: 'GET', path: `/${psid}`, token: channelToken(services, channel), query: { fields: 'first_name,last_name' } },
      { baseUrl: services.config.metaGraphUrl, attempts: 1, timeoutMs },
    );
    const firstName = profile.first_name?.trim().slice(0, 100);
    return firstName ? { firstName, lastName: profile.last_name?.trim().slice(0, 100) ?? '' } : 'refused';
  } catch (err) {
    const unanswered = err instanceof GraphError && (err.status === 0 || err.retriable);
    services.log.info({ err: (err as Error).message, psid }, unanswered ? 'messenger profile did not answer in time' : 'messenger profile not available; keeping the placeholder name');
    return unanswered ? 'unanswered' : 'refused';
  }
}

/**
 * The profile of a Messenger sender the companion does not know yet, read before the message's
 * transaction so that the contact is created with its name: the Conversation Opened runs the
 * message starts (express lane) greet the person by name. Undefined when no contact will be
 * created from it (known sender, a repeat Meta sent again, no such Page), so a known contact's
 * message costs one indexed read and no Graph call. `until`: the delivery's deadline.
 */
export async function profileOfNewSender(services: Services, m: { accountId: string | null; senderId: string; dedupeKey: string | null }, until: number): Promise<SenderProfile | undefined> {
  if (!m.accountId) return undefined;
  const known = await services.db.selectFrom('channel_identities').select('contact_id')
    .where('channel', '=', 'messenger').where('external_id', '=', m.senderId).executeTakeFirst();
  if (known) return undefined;
  if (m.dedupeKey && await services.db.selectFrom('meta_deliveries').select('key').where('key', '=', m.dedupeKey.slice(0, 600)).executeTakeFirst()) return undefined;
  const channel = await findChannel(services.db, 'messenger', m.accountId);
  if (!channel) return undefined;
  const wait = Math.min(PROFILE_WAIT_MS, until - Date.now());
  if (wait < 100) return 'unanswered';
  return readMessengerProfile(services, channel, m.senderId, wait);
}

/**
 * Names a Messenger contact created with the placeholder because the profile did not answer in
 * time: after the commit, one more try with a longer timeout. A name someone already changed is left alone.
 */
export async function nameMessengerContact(services: Services, channel: ConnectionsTable, psid: string, contactId: string): Promise<void> {
  const profile = await readMessengerProfile(services, channel, psid, 5000);
  if (typeof profile === 'string') return;
  try {
    await inTransaction(services.db, async (uow) => {
      const contact = await getContact(uow.trx, contactId);
      if (contact.firstName !== MESSENGER_PLACEHOLDER_FIRST_NAME) return;
      await updateContact(uow, services, contactId, profile, { source: 'contact' });
    });
  } catch (err) {
    services.log.info({ err: (err as Error).message, psid }, 'messenger contact could not be renamed; keeping the placeholder name');
  }
}
