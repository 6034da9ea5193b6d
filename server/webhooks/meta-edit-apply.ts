import { z } from 'zod';
import type { UnitOfWork } from '../events/unit-of-work';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { editsOf, recordEdit } from '../domain/message-edit';
import { isPostgres } from '../store/database';
import { waIdCandidates } from './meta-payloads';

/**
 * What a customer's edit says, as it is applied now or kept waiting for its message
 * (early_reactions.edit, migration 101): the writer's Page-scoped id or wa_id, the new words, and
 * Meta's order of edits (Messenger's `num_edit`, else Meta's time).
 */
export const EditWords = z.object({
  channel: z.enum(['whatsapp', 'messenger']),
  senderId: z.string().min(1).max(256),
  text: z.string().max(4096),
  count: z.number().int().min(1).nullable(),
  at: z.string().nullable(),
});
export type EditWords = z.infer<typeof EditWords>;

export type EditOutcome = 'edited' | 'unchanged' | 'not stored' | 'not a customer message' | 'not the writer';

/**
 * The customer's message with Meta's id reads the edit's words, marked edited, what it said before
 * kept (MessageEdits). A late edit older than the one shown (`num_edit`, else Meta's time) or the
 * same words change nothing; an edit of a message that is not the customer's, or by someone else
 * than its writer, is not applied.
 */
export async function applyEdit(uow: UnitOfWork, services: Services, connectionId: string, targetId: string, e: EditWords): Promise<EditOutcome> {
  const query = uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.id', 'messages.text', 'messages.edits', 'messages.attachments', 'messages.author_id', 'messages.direction', 'messages.author_type', 'conversations.id as conversation_id', 'conversations.contact_id'])
    .where('messages.connection_id', '=', connectionId).where('messages.external_id', '=', targetId);
  // PostgreSQL: two edits of one message delivered at once (Meta sends in parallel) both read it
  // before either wrote, and the one committing last won whatever its time, dropping the other
  // from the earlier versions. Held, the second reads what the first wrote. (SQLite: one writer.)
  const found = await (isPostgres(uow.trx) ? query.forUpdate('messages') : query).execute();
  if (found.length === 0) return 'not stored';
  const target = found.find((m) => m.direction === 'incoming' && m.author_type === 'contact');
  if (!target) return 'not a customer message';
  if (!target.author_id || !(await wroteIt(uow, e, target.author_id, target.conversation_id))) return 'not the writer';
  const shown = editsOf(target);
  const at = e.at ?? nowIso();
  if (shown && (e.count !== null ? e.count <= shown.count : at < shown.at)) return 'unchanged';
  if (e.text === target.text) return 'unchanged';
  await recordEdit(uow, services, target, { text: e.text, at, count: e.count });
  return 'edited';
}

/**
 * The edit comes from the message's writer: the Page-scoped id, or the wa_id (in any of its forms)
 * of the contact it is stored under, or the wa_id its conversation is held under: an agent may
 * have changed the contact's phone since (a typo fixed, a new number), and Meta lets only the
 * writer edit a message, from the number it was sent from.
 */
async function wroteIt(uow: UnitOfWork, e: EditWords, contactId: string, conversationId: string): Promise<boolean> {
  if (e.channel === 'messenger') {
    const known = await uow.trx.selectFrom('channel_identities').select('contact_id').where('channel', '=', 'messenger').where('external_id', '=', e.senderId).executeTakeFirst();
    return known?.contact_id === contactId;
  }
  const contact = await uow.trx.selectFrom('contacts').select('id').where('id', '=', contactId).where('phone', 'in', waIdCandidates(e.senderId)).executeTakeFirst();
  if (contact) return true;
  const held = await uow.trx.selectFrom('conversations').innerJoin('connections', 'connections.id', 'conversations.connection_id')
    .select('conversations.external_id').where('conversations.id', '=', conversationId).where('connections.kind', '=', 'whatsapp').executeTakeFirst();
  const digits = (id: string | null | undefined) => id?.replace(/\D/g, '') ?? '';
  return digits(held?.external_id) !== '' && digits(held?.external_id) === digits(e.senderId);
}
