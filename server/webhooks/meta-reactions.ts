import { inTransaction } from '../events/unit-of-work';
import { addMessage } from '../domain/conversations';
import type { Services } from '../services';
import type { ReactionItem } from './meta-items';
import { channelOf, collectRuns, duplicate, firstTime, notConnected, skipped, type ItemResult } from './meta-item-outcome';
import { reactionText } from './wa-message-content';

/**
 * A customer's reaction (WhatsApp `reaction`, Messenger `message_reactions`): a short line from the
 * customer in the conversation of the message reacted to ("Reacted 👍 to: “Your order ships
 * today”"), as Chatwoot shows a reaction as a message with its emoji. It is not the customer's
 * turn (addMessage `aside`): a thumbs-up is no answer to a workflow's question, opens no
 * conversation, reopens none, and does not count for Meta's 24-hour window (stored without the
 * channel: Meta's pages do not say a reaction opens it). A reaction to a message not stored here
 * (another tool's, older than the channel) has nowhere to go: skipped, as Chatwoot does.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/reaction
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-reactions
 */
export async function ingestReaction(services: Services, r: ReactionItem): Promise<ItemResult> {
  return inTransaction(services.db, async (uow) => {
    const channel = await channelOf(uow, r);
    if (!channel) return notConnected(r);
    const target = await uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.text', 'messages.conversation_id', 'conversations.contact_id'])
      .where('messages.connection_id', '=', channel.id).where('messages.external_id', '=', r.targetId).executeTakeFirst();
    if (!target) return skipped(`${r.channel === 'whatsapp' ? 'WhatsApp' : 'Messenger'} reaction to message ${r.targetId.slice(0, 80)}, which is not stored here`);
    if (!(await firstTime(uow, r.dedupeKey))) return duplicate();
    const runIds = collectRuns(uow);
    await addMessage(uow, services, target.conversation_id, {
      text: reactionText(r.emoji, target.text), direction: 'incoming', kind: 'message', author: { type: 'contact', id: target.contact_id }, aside: true,
    }, { source: 'contact' });
    return { runIds, outcome: 'stored' };
  });
}
