import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { addMessage } from '../domain/conversations';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { fromJson, toJson } from '../store/database';
import type { ReactionItem } from './meta-items';
import { applyEdit, EditWords } from './meta-edit-apply';
import { channelOf, collectRuns, duplicate, firstTime, notConnected, type ItemResult } from './meta-item-outcome';
import { reactionText } from './wa-message-content';
import { earlySender } from '../domain/erase-early-items';

/** A reaction or edit whose message never arrives (another tool's, older than the channel) waits this long: Meta retries a delivery for up to 7 days. */
export const EARLY_REACTION_DAYS = 7;

/**
 * A customer's reaction (WhatsApp `reaction`, Messenger `message_reactions`): a short line from the
 * customer in the conversation of the message reacted to ("Reacted 👍 to: “Your order ships
 * today”"), as Chatwoot shows a reaction as a message with its emoji. It is not the customer's
 * turn (addMessage `aside`): a thumbs-up is no answer to a workflow's question, opens no
 * conversation, reopens none, and does not count for Meta's 24-hour window (stored without the
 * channel: Meta's pages do not say a reaction opens it). Meta promises no order between webhooks,
 * so a reaction to a message not stored yet waits (early_reactions, migration 098) and is shown
 * when the message arrives or our send stores its id; one whose message never comes goes after
 * EARLY_REACTION_DAYS (housekeeping).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/reaction
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-reactions
 */
export async function ingestReaction(services: Services, r: ReactionItem): Promise<ItemResult> {
  return inTransaction(services.db, async (uow) => {
    const channel = await channelOf(uow, r);
    if (!channel) return notConnected(r);
    const target = await reactedTo(uow, channel.id, r.targetId);
    if (!(await firstTime(uow, r.dedupeKey))) return duplicate();
    const runIds = collectRuns(uow);
    if (target) {
      await showReaction(uow, services, target, r.emoji);
      return { runIds, outcome: 'stored' };
    }
    await waitForMessage(uow, services, { dedupeKey: r.dedupeKey, connectionId: channel.id, targetId: r.targetId, sender: earlySender(r.channel, r.senderId), emoji: r.emoji });
    return { runIds, outcome: 'stored' };
  });
}

/** `sender`: earlySender's, so that erasing the contact finds it (migration 102). */
type Waiting = { dedupeKey: string; connectionId: string; targetId: string; sender: string } & ({ emoji: string | null } | { edit: EditWords });

/** A reaction or a customer's edit (meta-edits.ts) that came before its message: kept until the message is stored. */
export async function waitForMessage(uow: UnitOfWork, services: Services, w: Waiting) {
  await uow.trx.insertInto('early_reactions')
    .values({
      dedupe_key: w.dedupeKey.slice(0, 600), connection_id: w.connectionId, target_id: w.targetId.slice(0, 300), sender: w.sender.slice(0, 300), created_at: nowIso(),
      ...('edit' in w ? { emoji: null, edit: toJson(w.edit) } : { emoji: w.emoji }),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
  // PostgreSQL: the message may have been stored after our look, and have looked for waiting
  // items before our commit: then neither showed it. Looked at once more when committed.
  uow.afterCommit(() => { void showIfStoredSince(services, w.connectionId, w.targetId); });
}

type Target = { text: string; conversation_id: string; contact_id: string };

async function reactedTo(uow: UnitOfWork, connectionId: string, externalId: string): Promise<Target | undefined> {
  return uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.text', 'messages.conversation_id', 'conversations.contact_id'])
    .where('messages.connection_id', '=', connectionId).where('messages.external_id', '=', externalId).executeTakeFirst();
}

async function showReaction(uow: UnitOfWork, services: Services, target: Target, emoji: string | null) {
  await addMessage(uow, services, target.conversation_id, {
    text: reactionText(emoji, target.text), direction: 'incoming', kind: 'message', author: { type: 'contact', id: target.contact_id }, aside: true,
  }, { source: 'contact' });
}

/**
 * Once a message with Meta's id is stored (the customer's, a Page echo, our send's answer): the
 * edits that arrived before it, then the reactions, each in the order they came. Edits first: a
 * reaction quotes the message, and the agent reads it beside the words the message shows once
 * every edit is in (a reaction quoting words the thread no longer shows reads like another
 * message's). Each is taken by deleting its row, so two stores looking at once show it once.
 */
export async function showEarlyReactions(uow: UnitOfWork, services: Services, connectionId: string, externalId: string): Promise<void> {
  const waiting = await uow.trx.selectFrom('early_reactions').selectAll().where('connection_id', '=', connectionId).where('target_id', '=', externalId)
    .orderBy('created_at').orderBy('dedupe_key').execute();
  if (waiting.length === 0 || !(await reactedTo(uow, connectionId, externalId))) return;
  const take = async (dedupeKey: string) => Number((await uow.trx.deleteFrom('early_reactions').where('dedupe_key', '=', dedupeKey).executeTakeFirst()).numDeletedRows) > 0;
  for (const w of waiting) {
    if (w.edit === null || !(await take(w.dedupe_key))) continue;
    // Applied as if it came now: an edit by someone else than the message's writer is dropped here.
    const edit = EditWords.safeParse(fromJson<unknown>(w.edit, null));
    if (edit.success) await applyEdit(uow, services, connectionId, externalId, edit.data);
  }
  const target = await reactedTo(uow, connectionId, externalId);
  for (const w of waiting) {
    if (w.edit !== null || !target || !(await take(w.dedupe_key))) continue;
    await showReaction(uow, services, target, w.emoji);
  }
}

async function showIfStoredSince(services: Services, connectionId: string, externalId: string) {
  try {
    await inTransaction(services.db, (uow) => showEarlyReactions(uow, services, connectionId, externalId));
  } catch (err) {
    services.log.warn({ err, externalId }, 'could not show an early reaction or edit');
  }
}

/** After our send stored Meta's id, in a transaction of its own (channels/deliver.ts). */
export async function showEarlyReactionsOf(services: Services, connectionId: string, externalId: string): Promise<void> {
  await inTransaction(services.db, (uow) => showEarlyReactions(uow, services, connectionId, externalId));
}
