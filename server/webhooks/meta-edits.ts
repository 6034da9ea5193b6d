import { inTransaction } from '../events/unit-of-work';
import type { Services } from '../services';
import type { EditItem } from './meta-items';
import { channelOf, collectRuns, duplicate, firstTime, notConnected, skipped, type ItemResult } from './meta-item-outcome';
import { applyEdit } from './meta-edit-apply';
import { waitForMessage } from './meta-reactions';
import { earlySender } from '../domain/erase-early-items';

/**
 * A customer's edit of a message they sent (Messenger `message_edits`, WhatsApp `edit`): the
 * message reads the new text, marked edited, what it said before kept (MessageEdits), as Chatwoot
 * and respond.io show an edit. Only the words change: the workflows the message started and the
 * question it answered are not run again (no event is recorded), as in those tools. Meta promises
 * no order between webhooks: an edit of a message not stored yet waits with the early reactions
 * (migration 098, same 7 days) and is applied when the message arrives. An edit of a message that
 * is not the customer's, or by someone else than its writer, is skipped; a late edit older than
 * the one shown (Messenger's `num_edit`, else Meta's time) changes nothing.
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-edits
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
 */
export async function ingestEdit(services: Services, e: EditItem): Promise<ItemResult> {
  return inTransaction(services.db, async (uow) => {
    const channel = await channelOf(uow, e);
    if (!channel) return notConnected(e);
    if (!(await firstTime(uow, e.dedupeKey))) return duplicate();
    const runIds = collectRuns(uow);
    const words = { channel: e.channel, senderId: e.senderId, text: e.text, count: e.count, at: e.at };
    const outcome = await applyEdit(uow, services, channel.id, e.targetId, words);
    const what = `${e.channel === 'whatsapp' ? 'WhatsApp' : 'Messenger'} edit of message ${e.targetId.slice(0, 80)}`;
    if (outcome === 'not a customer message') return skipped(`${what}, which is not a customer's message`);
    if (outcome === 'not the writer') return skipped(`${what}, sent by someone who did not write it`);
    if (outcome === 'not stored') await waitForMessage(uow, services, { dedupeKey: e.dedupeKey, connectionId: channel.id, targetId: e.targetId, sender: earlySender(e.channel, e.senderId), edit: words });
    return { runIds, outcome: 'stored' };
  });
}
