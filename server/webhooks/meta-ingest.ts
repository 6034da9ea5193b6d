import type { Services } from '../services';
import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { createContact, findContactBy } from '../domain/contacts';
import { addMessage, findOpenConversation, openConversation } from '../domain/conversations';
import { nowIso } from '../ids';
import type { InboundMessage } from './meta-payloads';
import { toE164 } from './phone';

async function contactFor(uow: UnitOfWork, services: Services, m: InboundMessage): Promise<string> {
  const cause = { source: 'contact' };
  if (m.channel === 'whatsapp') {
    const phone = toE164(m.senderId) ?? `+${m.senderId.replace(/\D/g, '')}`;
    const existing = await findContactBy(uow.trx, 'phone', phone);
    if (existing) return existing.id;
    const [firstName = '', ...rest] = (m.name ?? '').split(' ');
    return (await createContact(uow, services, { firstName, lastName: rest.join(' '), phone, tags: [], fields: {} }, cause)).id;
  }
  const known = await uow.trx.selectFrom('channel_identities').select('contact_id')
    .where('channel', '=', 'messenger').where('external_id', '=', m.senderId).executeTakeFirst();
  if (known) return known.contact_id;
  const contact = await createContact(uow, services, { firstName: 'Messenger user', lastName: m.senderId.slice(-4), tags: [], fields: {} }, cause);
  await uow.trx.insertInto('channel_identities').values({ channel: 'messenger', external_id: m.senderId, contact_id: contact.id, created_at: nowIso() }).execute();
  return contact.id;
}

/**
 * One inbound message: the contact found or created, the conversation opened (by the ad when one
 * referred it), the message stored, and the Click-to-Chat trigger fired for the ad — one transaction.
 */
export async function ingestInbound(services: Services, m: InboundMessage): Promise<{ contactId: string; runIds: string[] }> {
  return inTransaction(services.db, async (uow) => {
    const contactId = await contactFor(uow, services, m);
    let conversation = await findOpenConversation(uow.trx, contactId);
    if (!conversation) {
      conversation = await openConversation(uow, services, contactId, { source: m.ad ? 'click_to_chat_ads' : 'contact' }, m.text);
    }
    if (m.text) {
      await addMessage(uow, services, conversation.id, { text: m.text.slice(0, 4096), direction: 'incoming', kind: 'message', author: { type: 'contact', id: contactId } }, { source: 'contact' });
    }
    if (!m.ad) return { contactId, runIds: [] };
    const ad = await uow.trx.selectFrom('ads').select(['name']).where('ad_id', '=', m.ad.adId).executeTakeFirst();
    const { runIds } = await services.events.record(uow, {
      type: 'ad.clicked',
      payload: { contactId, conversationId: conversation.id, adId: m.ad.adId, adName: ad?.name ?? m.ad.headline ?? '', ctwaClid: m.ad.ctwaClid, message: m.text },
    }, { source: 'click_to_chat_ads' });
    return { contactId, runIds };
  });
}
