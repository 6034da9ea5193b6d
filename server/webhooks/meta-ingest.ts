import type { Services } from '../services';
import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { createContact } from '../domain/contacts';
import { heldContactId } from '../domain/delete-contact';
import { onChannelColumns } from '../domain/conversation-place';
import { addMessage, conversationWritten, findOpenConversation, getConversation, openConversation } from '../domain/conversations';
import { nowIso } from '../ids';
import { isChannelKind } from '../channels/connections';
import { MESSENGER_PLACEHOLDER_FIRST_NAME, nameMessengerContact, PROFILE_BUDGET_PER_DELIVERY_MS, profileOfNewSender, type SenderProfile } from '../channels/messenger-profile';
import { applyDeliveryStatus } from '../channels/delivery-status';
import { markedMessageId } from '../channels/echo-mark';
import { toJson, type Executor } from '../store/database';
import type { ConnectionsTable } from '../store/schema';
import type { Conversation } from '../../lib/contracts/conversations';
import { waIdCandidates, type EchoItem, type InboundMessage, type MetaItem, type StatusItem } from './meta-payloads';
import { listAds } from './ads';
import { adEligibility } from '../../lib/contracts/ads';
import type { AdReferral } from '../../lib/contracts/ad-referral';
import { channelOf, collectRuns, duplicate, firstTime, notConnected, phoneOfWaId, skipped, type ItemResult } from './meta-item-outcome';
import { ingestReaction, showEarlyReactions } from './meta-reactions';
import { ingestNumberChange } from './number-change';
import { ingestEdit } from './meta-edits';

export type { ItemResult } from './meta-item-outcome';

/** What the items of one delivery share: until when a new Messenger sender's profile may be waited on. */
export interface DeliveryContext { profilesUntil: number }
export const newDeliveryContext = (now = Date.now()): DeliveryContext => ({ profilesUntil: now + PROFILE_BUDGET_PER_DELIVERY_MS });

/**
 * The sender's contact, found (and held: heldContactId) or made. Held, a contact being deleted at
 * this moment is either deleted before (not found: this message starts a new contact) or after
 * (the message goes with it); found but not held, the message would name a contact that is gone.
 */
async function contactFor(uow: UnitOfWork, services: Services, m: InboundMessage, channel: ConnectionsTable, profile?: SenderProfile): Promise<string> {
  const cause = { source: 'contact' };
  if (m.channel === 'whatsapp') {
    for (const phone of waIdCandidates(m.senderId)) {
      const existing = await heldContactId(uow.trx, 'phone', phone);
      if (existing) return existing;
    }
    const [firstName = '', ...rest] = (m.name ?? '').trim().split(/\s+/);
    return (await createContact(uow, services, { firstName: firstName.slice(0, 100), lastName: rest.join(' ').slice(0, 100), phone: phoneOfWaId(m.senderId), tags: [], fields: {} }, cause)).id;
  }
  const known = await uow.trx.selectFrom('channel_identities').select('contact_id')
    .where('channel', '=', 'messenger').where('external_id', '=', m.senderId).executeTakeFirst();
  if (known && await heldContactId(uow.trx, 'id', known.contact_id)) return known.contact_id;
  const named = typeof profile === 'object' ? profile : { firstName: MESSENGER_PLACEHOLDER_FIRST_NAME, lastName: m.senderId.slice(-4) };
  const contact = await createContact(uow, services, { ...named, tags: [], fields: {} }, cause);
  // An identity of a contact deleted since it was read goes over to the new one.
  await uow.trx.insertInto('channel_identities').values({ channel: 'messenger', external_id: m.senderId, contact_id: contact.id, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['channel', 'external_id']).doUpdateSet({ contact_id: contact.id })).execute();
  // Meta did not answer in time (or was not asked: the delivery's wait was used up): one more try once committed.
  if (profile === undefined || profile === 'unanswered') uow.afterCommit(() => { void nameMessengerContact(services, channel, m.senderId, contact.id); });
  return contact.id;
}

/**
 * Whether a conversation takes the channel the customer last wrote on (replies go back there): a
 * built-in one, or one on another WhatsApp number or Page, does. A conversation that lives in an
 * inbox connection (Chatwoot) does not: it is that inbox's conversation, opened and closed as the
 * inbox says (connectors/chatwoot), and moving it off would make the inbox's next update open
 * another one, setting this one aside, and Conversation Opened would fire again each time the
 * customer changed sides. The message joins it; the conversation stays where it lives.
 */
async function takesChannel(db: Executor, conversation: Conversation): Promise<boolean> {
  if (!conversation.connectionId) return true;
  const row = await db.selectFrom('connections').select('kind').where('id', '=', conversation.connectionId).executeTakeFirst();
  return !row || isChannelKind(row.kind);
}

/**
 * One customer message (or postback, or ad referral): the contact found or created, the
 * conversation opened (by the ad when one referred it) and attached to the channel, the message
 * stored with its Meta id and media, and the Click-to-Chat trigger fired for the ad — one
 * transaction, once per Meta id however often Meta repeats it.
 */
async function ingestMessage(services: Services, m: InboundMessage, delivery: DeliveryContext): Promise<ItemResult> {
  // Read before the transaction (no write lock held over a Graph call), only for a sender never seen.
  const profile = m.channel === 'messenger' ? await profileOfNewSender(services, m, delivery.profilesUntil) : undefined;
  return inTransaction(services.db, async (uow) => {
    // A number or Page not connected here: nothing stored, not even the delivery's key, so a
    // redelivery after the admin connects it is taken.
    const channel = await channelOf(uow, m);
    if (!channel) return notConnected(m);
    if (!(await firstTime(uow, m.dedupeKey))) return duplicate();
    const runIds = collectRuns(uow);
    const contactId = await contactFor(uow, services, m, channel, profile);
    const ad = m.ad ? (await listAds(uow.trx, m.ad.adId))[0] : undefined;
    // adName: the catalog's (Ads Manager's) name; the referral's headline only for an ad not in the catalog.
    const referral: AdReferral | null = m.ad ? { ...m.ad, adName: (ad?.name ?? m.ad.headline ?? '').slice(0, 300) } : null;
    let conversation = await findOpenConversation(uow.trx, contactId);
    const firstText = m.text ?? m.attachments[0]?.caption ?? null;
    if (!conversation) {
      // Opened on the channel, so Conversation Opened says so (`$trigger.channel`: whatsapp, messenger),
      // and by the ad, which its runs read as `$conversation.adReferral.*`.
      conversation = await openConversation(uow, services, contactId, { source: m.ad ? 'click_to_chat_ads' : 'contact' }, m.aside ? null : firstText,
        { connectionId: channel.id, externalId: m.senderId, adReferral: referral });
    }
    const moves = conversation.connectionId !== channel.id && await takesChannel(uow.trx, conversation);
    // An open conversation keeps the first ad it heard of: what brought the customer (a later ad is on its message and event).
    const keepsAd = referral !== null && !conversation.adReferral;
    if (moves || keepsAd) {
      await uow.trx.updateTable('conversations')
        .set({ ...(moves ? onChannelColumns({ connectionId: channel.id, externalId: m.senderId, kind: channel.kind }) : {}), ...(keepsAd ? { ad_referral: toJson(referral) } : {}) })
        .where('id', '=', conversation.id).execute();
      conversationWritten(uow);
      conversation = await getConversation(uow.trx, conversation.id);
    }
    if (m.text !== null || m.attachments.length > 0) {
      const text = m.text ?? (m.attachments[0] ? `[${m.attachments[0].type}]` : '');
      await addMessage(uow, services, conversation.id, {
        text: text.slice(0, 4096), direction: 'incoming', kind: 'message', author: { type: 'contact', id: contactId },
        channel: {
          connectionId: channel.id, externalId: m.externalId, attachments: m.attachments, sentAt: m.sentAt,
          ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}), ...(m.payload ? { payload: m.payload } : {}),
        },
        // The ad it came from, unless the message holds content of its own (an order, a flow's answer).
        ...(m.data ? { data: m.data } : referral ? { data: { type: 'ad_referral' as const, ...referral } } : {}), ...(m.aside ? { aside: true } : {}),
      }, { source: 'contact' });
      if (m.externalId) await showEarlyReactions(uow, services, channel.id, m.externalId);
    }
    if (!m.ad || !referral) return { runIds, outcome: 'stored' };
    const eligibility = ad ? adEligibility(ad) : null;
    const ineligible = eligibility && !eligibility.eligible ? `Ad ${m.ad.adId} can no longer trigger workflows: ${eligibility.reasons.join('; ')}` : null;
    await services.events.record(uow, {
      type: 'ad.clicked',
      payload: {
        contactId, conversationId: conversation.id, adId: m.ad.adId, adName: referral.adName, ctwaClid: m.ad.ctwaClid, message: m.text, referral,
        ...(ineligible ? { ineligible } : {}),
      },
    }, { source: 'click_to_chat_ads', ...(m.dedupeKey ? { idempotencyKey: `meta:${m.dedupeKey}`.slice(0, 600) } : {}) });
    return { runIds, outcome: 'stored' };
  });
}

/** A Page's own message: stored as outgoing on the customer's conversation, never a contact; our own sends are already stored. */
async function ingestEcho(services: Services, e: EchoItem): Promise<ItemResult> {
  return inTransaction(services.db, async (uow) => {
    const channel = await channelOf(uow, e);
    if (!channel) return notConnected(e);
    if (!(await firstTime(uow, e.externalId ? `ms:${e.externalId}` : null))) return duplicate();
    // Ours, whether or not Meta's answer has given it its id yet (channels/echo-mark.ts).
    const marked = markedMessageId(e.metadata);
    if (marked && await uow.trx.selectFrom('messages').select('id').where('id', '=', marked).where('connection_id', '=', channel.id).executeTakeFirst()) return duplicate();
    if (e.externalId) {
      const ours = await uow.trx.selectFrom('messages').select('id').where('connection_id', '=', channel.id).where('external_id', '=', e.externalId).executeTakeFirst();
      if (ours) return duplicate();
    }
    const conversation = await uow.trx.selectFrom('conversations').select('id').where('connection_id', '=', channel.id)
      .where('external_id', '=', e.recipientId).where('status', '=', 'open').executeTakeFirst();
    if (!conversation || (!e.text && e.attachments.length === 0)) return { runIds: [], outcome: 'skipped' };
    const runIds = collectRuns(uow);
    await addMessage(uow, services, conversation.id, {
      text: (e.text ?? `[${e.attachments[0]?.type ?? 'attachment'}]`).slice(0, 4096), direction: 'outgoing', kind: 'message', author: { type: 'user', id: null },
      channel: { connectionId: channel.id, externalId: e.externalId, deliveryStatus: 'sent', attachments: e.attachments },
    }, { source: 'user' });
    if (e.externalId) await showEarlyReactions(uow, services, channel.id, e.externalId);
    return { runIds, outcome: 'stored' };
  });
}

async function ingestStatus(services: Services, s: StatusItem): Promise<ItemResult> {
  return inTransaction(services.db, async (uow) => {
    // Statuses of a number not connected here (another tool's sends) are not kept waiting either.
    if (!(await channelOf(uow, s))) return notConnected(s);
    return { runIds: [], outcome: await applyDeliveryStatus(uow, services, s) ? 'stored' : 'skipped' };
  });
}

/** Handles one item of a delivery on its own; storage errors are thrown (the caller answers 500 so Meta retries). */
export async function ingestMetaItem(services: Services, item: MetaItem, delivery: DeliveryContext = newDeliveryContext()): Promise<ItemResult> {
  switch (item.kind) {
    case 'message': return ingestMessage(services, item, delivery);
    case 'echo': return ingestEcho(services, item);
    case 'status': return ingestStatus(services, item);
    case 'reaction': return ingestReaction(services, item);
    case 'edit': return ingestEdit(services, item);
    case 'number_change': return ingestNumberChange(services, item);
    // Told by the route (logged, counted); nothing to store.
    case 'error': return skipped(`Meta error ${item.code ?? ''}: ${item.title}`);
    case 'skip': return skipped(item.reason);
  }
}
