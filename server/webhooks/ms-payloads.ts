import { z } from 'zod';
import type { Attachment } from '../../lib/contracts/channels';
import { cut, Id, issue, metaTime, type AdReferral, type MetaItem } from './meta-items';

// Messenger's webhook events (object `page`), one item each:
// https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages
// .../messaging_postbacks, .../messaging_referrals, .../message-echoes, .../message-deliveries,
// .../message-reads, .../message-reactions, .../message-edits
// Ad referrals: https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messaging_referrals

const MsAttachment = z.object({ type: z.string().max(40), payload: z.object({ url: z.string().max(2000).optional(), title: z.string().optional() }).passthrough().nullable().optional() }).passthrough();
const MsReferral = z.object({
  ad_id: z.string().optional(), source: z.string().optional(), type: z.string().optional(), ref: z.string().optional(),
  ads_context_data: z.object({
    ad_title: z.string().optional(), photo_url: z.string().optional(), video_url: z.string().optional(), post_id: z.string().optional(), product_id: z.string().optional(),
  }).passthrough().optional(),
}).passthrough();
const MsEvent = z.object({
  sender: z.object({ id: z.string().min(1).max(64).optional(), user_ref: z.string().optional() }).passthrough(),
  recipient: z.object({ id: z.string().max(64).optional() }).passthrough().optional(),
  timestamp: z.union([z.number(), z.string()]).optional(),
  message: z.object({
    mid: Id.optional(), text: z.string().max(10_000).optional(), is_echo: z.boolean().optional(), metadata: z.string().max(10_000).optional(),
    attachments: z.array(MsAttachment).optional(), referral: MsReferral.optional(),
    quick_reply: z.object({ payload: z.string().max(1000).optional() }).passthrough().optional(),
    reply_to: z.object({ mid: Id.optional() }).passthrough().optional(),
  }).passthrough().optional(),
  postback: z.object({ mid: Id.optional(), title: z.string().max(1000).optional(), payload: z.string().max(1000).optional(), referral: MsReferral.optional() }).passthrough().optional(),
  referral: MsReferral.optional(),
  delivery: z.object({ mids: z.array(Id).optional(), watermark: z.union([z.number(), z.string()]).optional() }).passthrough().optional(),
  read: z.object({ watermark: z.union([z.number(), z.string()]).optional() }).passthrough().optional(),
  reaction: z.object({ mid: Id.optional(), action: z.string().max(20).optional(), emoji: z.string().max(64).optional(), reaction: z.string().max(40).optional() }).passthrough().optional(),
  // num_edit: an integer by the reference, a string in its example.
  message_edit: z.object({ mid: Id.optional(), text: z.string().max(10_000).optional(), num_edit: z.union([z.number(), z.string().max(20)]).optional() }).passthrough().optional(),
}).passthrough();

/** An ad's referral (`source: ADS`; an m.me link's SHORTLINK is none), in WhatsApp's names: ad_title is the headline, photo_url the image. */
function msAd(r: z.infer<typeof MsReferral> | undefined): AdReferral | null {
  if (!r || r.source !== 'ADS' || !r.ad_id) return null;
  const c = r.ads_context_data;
  return {
    channel: 'messenger', adId: r.ad_id, headline: cut(c?.ad_title), body: null, sourceUrl: null, sourceType: 'ad', mediaType: null,
    imageUrl: cut(c?.photo_url), videoUrl: cut(c?.video_url), thumbnailUrl: null, ctwaClid: null, ref: cut(r.ref), postId: cut(c?.post_id), productId: cut(c?.product_id),
  };
}

export function msEvent(raw: unknown, pageId: string | null): MetaItem {
  const parsed = MsEvent.safeParse(raw);
  if (!parsed.success) return { kind: 'skip', reason: `Messenger event not understood (${issue(parsed.error)})` };
  const e = parsed.data;
  const attachmentsOf = (list: z.infer<typeof MsAttachment>[] | undefined): Attachment[] => (list ?? []).map((a) => ({
    type: a.type, ...(a.payload?.url ? { url: a.payload.url } : {}), ...(a.payload?.title ? { caption: a.payload.title } : {}),
  }));
  if (e.message?.is_echo) {
    if (!e.recipient?.id) return { kind: 'skip', reason: 'Messenger echo without a recipient' };
    return { kind: 'echo', channel: 'messenger', accountId: pageId, recipientId: e.recipient.id, externalId: e.message.mid ?? null, text: e.message.text ?? null, attachments: attachmentsOf(e.message.attachments), metadata: e.message.metadata ?? null };
  }
  // Deliveries: `mids` may be missing (older Messenger clients), `watermark` is always there: "all
  // messages that were sent before this timestamp were delivered". Reads: "all messages that were
  // sent before or at this timestamp were read". Both are the person's (sender) thread with the Page.
  // https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-deliveries
  // https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-reads
  if (e.delivery || e.read) {
    const mids = e.delivery?.mids ?? [];
    const at = metaTime((e.delivery ?? e.read)?.watermark, 'ms');
    const watermark = at && e.sender.id ? { psid: e.sender.id, before: at, inclusive: !e.delivery } : undefined;
    if (!mids.length && !watermark) return { kind: 'skip', reason: `Messenger ${e.delivery ? 'delivery' : 'read'} without message ids or watermark` };
    return { kind: 'status', channel: 'messenger', accountId: pageId, externalIds: mids, status: e.delivery ? 'delivered' : 'read', error: null, ...(watermark ? { watermark } : {}) };
  }
  const psid = e.sender.id;
  if (!psid) return { kind: 'skip', reason: e.sender.user_ref ? 'Messenger chat-plugin visitor (user_ref) has no page-scoped id yet' : 'Messenger event without a sender' };
  const ts = String(e.timestamp ?? '');
  // https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-reactions
  if (e.reaction) {
    if (!e.reaction.mid) return { kind: 'skip', reason: 'Messenger reaction without the message it reacts to' };
    const emoji = e.reaction.action === 'unreact' ? null : e.reaction.emoji || e.reaction.reaction || null;
    return {
      kind: 'reaction', channel: 'messenger', accountId: pageId, senderId: psid, targetId: e.reaction.mid, emoji,
      dedupeKey: `ms:rx:${pageId}:${psid}:${ts}:${e.reaction.mid}:${e.reaction.action ?? ''}`,
    };
  }
  // https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-edits
  if (e.message_edit) {
    const ed = e.message_edit;
    if (!ed.mid || ed.text === undefined) return { kind: 'skip', reason: 'Messenger message edit without the message or its new text' };
    const n = Number(ed.num_edit);
    const count = Number.isInteger(n) && n > 0 ? n : null;
    return {
      kind: 'edit', channel: 'messenger', accountId: pageId, senderId: psid, targetId: ed.mid, text: ed.text.slice(0, 4096), count, at: metaTime(e.timestamp, 'ms'),
      dedupeKey: `ms:edit:${ed.mid}:${count ?? ts}`,
    };
  }
  const base = { kind: 'message' as const, channel: 'messenger' as const, accountId: pageId, senderId: psid, name: null, sentAt: metaTime(e.timestamp, 'ms') };
  if (e.message) {
    const attachments = attachmentsOf(e.message.attachments);
    const text = e.message.text ?? null;
    const ad = msAd(e.message.referral ?? e.referral);
    if (!text && attachments.length === 0 && !ad) return { kind: 'skip', reason: 'Messenger message has nothing to store' };
    // A tapped quick reply's payload, or the message swiped to reply to (the messages event's `quick_reply`, `reply_to`).
    const replied = { ...(e.message.quick_reply?.payload ? { payload: e.message.quick_reply.payload } : {}), ...(e.message.reply_to?.mid ? { inReplyTo: e.message.reply_to.mid } : {}) };
    return { ...base, externalId: e.message.mid ?? null, dedupeKey: e.message.mid ? `ms:${e.message.mid}` : null, text: text?.slice(0, 4096) ?? null, attachments, ad, ...replied };
  }
  if (e.postback) {
    // "Get Started" on a thread opened from a Click-to-Messenger ad carries the ad in postback.referral.
    const p = e.postback;
    const key = p.mid ? `ms:pb:${p.mid}` : `ms:pb:${pageId}:${psid}:${ts}:${p.payload ?? ''}`;
    return { ...base, externalId: p.mid ?? null, dedupeKey: key, text: p.title ?? p.payload ?? null, attachments: [], ad: msAd(p.referral) };
  }
  if (e.referral) {
    const ad = msAd(e.referral);
    if (!ad) return { kind: 'skip', reason: `Messenger referral from ${e.referral.source ?? 'an unknown source'} is not an ad` };
    return { ...base, externalId: null, dedupeKey: `ms:ref:${pageId}:${psid}:${ts}:${ad.adId}`, text: null, attachments: [], ad };
  }
  const kind = Object.keys(e).find((k) => !['sender', 'recipient', 'timestamp'].includes(k)) ?? 'empty';
  return { kind: 'skip', reason: `Messenger ${kind} event not used` };
}
