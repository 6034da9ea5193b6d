import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { addMessage, conversationWritten } from '../domain/conversations';
import { getContact, updateContact } from '../domain/contacts';
import { heldContactId } from '../domain/delete-contact';
import type { Services } from '../services';
import type { NumberChangeItem } from './meta-items';
import { waIdCandidates } from './meta-payloads';
import { channelOf, collectRuns, duplicate, firstTime, notConnected, phoneOfWaId, skipped, type ItemResult } from './meta-item-outcome';

/** The contact stored under any form of the wa_id (Brazil's ninth digit, Mexico's 1), held as ingest holds it. */
async function contactOfWaId(uow: UnitOfWork, waId: string): Promise<string | undefined> {
  for (const phone of waIdCandidates(waId)) {
    const id = await heldContactId(uow.trx, 'phone', phone);
    if (id) return id;
  }
  return undefined;
}

/**
 * WhatsApp `system` / `user_changed_number` ("User Sheena Nelson changed from 16505551234 to
 * 12195555358", with the new wa_id): the contact takes the new number, so the customer's next
 * message (from it) finds them instead of making a new contact, and their conversations on the
 * channel name the new wa_id, so replies go there. A note in the conversation says so. When the
 * new number already belongs to another contact (the customer wrote from it first), both are
 * left as they are and the note says to merge them: changing it would break the unique phone.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system
 */
export async function ingestNumberChange(services: Services, n: NumberChangeItem): Promise<ItemResult> {
  return inTransaction(services.db, async (uow) => {
    const channel = await channelOf(uow, n);
    if (!channel) return notConnected(n);
    if (!(await firstTime(uow, n.dedupeKey))) return duplicate();
    const contactId = await contactOfWaId(uow, n.oldWaId);
    if (!contactId) return skipped(`WhatsApp number change from ${n.oldWaId.slice(0, 32)}: no contact has that number`);
    const runIds = collectRuns(uow);
    const contact = await getContact(uow.trx, contactId);
    const holder = await contactOfWaId(uow, n.newWaId);
    const newPhone = phoneOfWaId(n.newWaId);
    let note = `Changed their WhatsApp number from ${contact.phone ?? `+${n.oldWaId}`} to ${newPhone}: replies go to the new number.`;
    if (holder && holder !== contactId) {
      const other = await getContact(uow.trx, holder);
      const name = [other.firstName, other.lastName].filter(Boolean).join(' ') || newPhone;
      note = `Changed their WhatsApp number from ${contact.phone ?? `+${n.oldWaId}`} to ${newPhone}, which is already the number of another contact (${name}): this contact keeps the old number; merge the two if they are the same person.`;
    } else if (!holder) {
      await updateContact(uow, services, contactId, { phone: newPhone }, { source: 'contact' }, contact);
    }
    // Replies go to the wa_id a conversation names (meta-ingest.ts: "as Meta sent it").
    if (!holder || holder === contactId) {
      await uow.trx.updateTable('conversations').set({ external_id: n.newWaId })
        .where('contact_id', '=', contactId).where('connection_id', '=', channel.id).where('external_id', '=', n.oldWaId).execute();
      conversationWritten(uow);
    }
    // Their open conversation ('open' sorts after 'closed'), else the latest.
    const where = await uow.trx.selectFrom('conversations').select('id').where('contact_id', '=', contactId)
      .orderBy('status', 'desc').orderBy('opened_at', 'desc').limit(1).executeTakeFirst();
    if (where) {
      await addMessage(uow, services, where.id, { text: note, direction: 'incoming', kind: 'comment', author: { type: 'contact', id: contactId } }, { source: 'contact' });
    }
    return { runIds, outcome: 'stored' };
  });
}
