import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { fromJson, toJson } from '../store/database';
import type { Attachment } from '../../lib/contracts/channels';
import { EDITS_KEPT, MessageEdits } from '../../lib/contracts/message-edits';
import type { EditItem } from './meta-items';
import { channelOf, collectRuns, duplicate, firstTime, notConnected, skipped, type ItemResult } from './meta-item-outcome';
import { waIdCandidates } from './meta-payloads';

/**
 * A customer's edit of a message they sent (Messenger `message_edits`, WhatsApp `edit`): the
 * message reads the new text, marked edited, what it said before kept (MessageEdits), as Chatwoot
 * and respond.io show an edit. Only the words change: the workflows the message started and the
 * question it answered are not run again (no event is recorded), as in those tools. An edit of a
 * message not stored here, or by someone else than its writer, is skipped; a late edit older than
 * the one shown (Messenger's `num_edit`, else Meta's time) changes nothing.
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-edits
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
 */
export async function ingestEdit(services: Services, e: EditItem): Promise<ItemResult> {
  return inTransaction(services.db, async (uow) => {
    const channel = await channelOf(uow, e);
    if (!channel) return notConnected(e);
    const target = await uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.id', 'messages.text', 'messages.edits', 'messages.attachments', 'messages.author_id', 'conversations.id as conversation_id', 'conversations.contact_id'])
      .where('messages.connection_id', '=', channel.id).where('messages.external_id', '=', e.targetId)
      .where('messages.direction', '=', 'incoming').where('messages.author_type', '=', 'contact').executeTakeFirst();
    const what = `${e.channel === 'whatsapp' ? 'WhatsApp' : 'Messenger'} edit of message ${e.targetId.slice(0, 80)}`;
    if (!target) return skipped(`${what}, which is not a customer's message stored here`);
    if (!target.author_id || !(await wroteIt(uow, e, target.author_id))) return skipped(`${what}, sent by someone who did not write it`);
    if (!(await firstTime(uow, e.dedupeKey))) return duplicate();
    const runIds = collectRuns(uow);
    const before = target.edits ? MessageEdits.safeParse(fromJson<unknown>(target.edits, null)) : null;
    const shown = before?.success ? before.data : null;
    const at = e.at ?? nowIso();
    if (shown && (e.count !== null ? e.count <= shown.count : at < shown.at)) return { runIds, outcome: 'stored' };
    if (e.text === target.text) return { runIds, outcome: 'stored' };
    const edits: MessageEdits = {
      at, count: e.count ?? (shown?.count ?? 0) + 1,
      previous: [...(shown?.previous ?? []), { text: target.text, replacedAt: at }].slice(-EDITS_KEPT),
    };
    // A media message's words are its caption: the bubble shows the attachment's caption only when it differs from the text.
    const attachments = fromJson<Attachment[] | null>(target.attachments, null);
    const recaptioned = attachments?.[0]?.caption === target.text ? { attachments: toJson([{ ...attachments[0], caption: e.text }, ...attachments.slice(1)]) } : {};
    await uow.trx.updateTable('messages').set({ text: e.text, edits: toJson(edits), ...recaptioned }).where('id', '=', target.id).execute();
    uow.afterCommit(() => services.live.publish({ type: 'conversation.changed', conversationId: target.conversation_id, contactId: target.contact_id }));
    return { runIds, outcome: 'stored' };
  });
}

/** The edit comes from the message's writer: the Page-scoped id or wa_id (in any of its forms) of the contact it is stored under. */
async function wroteIt(uow: UnitOfWork, e: EditItem, contactId: string): Promise<boolean> {
  if (e.channel === 'messenger') {
    const known = await uow.trx.selectFrom('channel_identities').select('contact_id').where('channel', '=', 'messenger').where('external_id', '=', e.senderId).executeTakeFirst();
    return known?.contact_id === contactId;
  }
  const contact = await uow.trx.selectFrom('contacts').select('id').where('id', '=', contactId).where('phone', 'in', waIdCandidates(e.senderId)).executeTakeFirst();
  return contact !== undefined;
}
