import type { Executor } from '../store/database';
import { chunks } from '../store/catalog';
import { otherForms } from './phone-forms';

/**
 * Who a reaction or edit waiting for its message (early_reactions, migration 102) came from:
 * `whatsapp:<wa_id digits>` (Meta sends the wa_id without `+`; a contact's phone has it) or
 * `messenger:<PSID>`. The channel is part of it: a PSID and a wa_id are both digits.
 */
export function earlySender(channel: 'whatsapp' | 'messenger', senderId: string): string {
  return channel === 'whatsapp' ? `whatsapp:${senderId.replace(/\D/g, '')}` : `messenger:${senderId}`;
}

/**
 * Erasing a contact removes the reactions and edits of theirs still waiting for their message
 * (an edit holds the words they wrote). They are found by the contact's ids on Meta: every form of
 * their phone (a wa_id may be another form of it: phone-forms.ts), their Messenger identities, and
 * the ids their WhatsApp and Messenger conversations were held under (a phone changed since still
 * finds the wa_id they wrote from). Run before the identities and conversations go.
 */
export async function eraseEarlyItemsOf(trx: Executor, contactId: string): Promise<number> {
  const senders = new Set<string>();
  const contact = await trx.selectFrom('contacts').select('phone').where('id', '=', contactId).executeTakeFirst();
  const digits = contact?.phone?.replace(/\D/g, '');
  if (digits) for (const d of [digits, ...otherForms(digits)]) senders.add(`whatsapp:${d}`);
  const identities = await trx.selectFrom('channel_identities').select('external_id').where('contact_id', '=', contactId).where('channel', '=', 'messenger').execute();
  for (const i of identities) senders.add(earlySender('messenger', i.external_id));
  const held = await trx.selectFrom('conversations').innerJoin('connections', 'connections.id', 'conversations.connection_id')
    .select(['connections.kind', 'conversations.external_id']).where('conversations.contact_id', '=', contactId)
    .where('connections.kind', 'in', ['whatsapp', 'messenger']).where('conversations.external_id', 'is not', null).execute();
  for (const c of held) if (c.external_id) senders.add(earlySender(c.kind === 'whatsapp' ? 'whatsapp' : 'messenger', c.external_id));
  let gone = 0;
  for (const part of chunks([...senders], 500)) {
    const result = await trx.deleteFrom('early_reactions').where('sender', 'in', part).executeTakeFirst();
    gone += Number(result.numDeletedRows);
  }
  return gone;
}
