import { z } from 'zod';
import type { Attachment } from '../../lib/contracts/channels';
import type { MessageData } from '../../lib/contracts/message-data';
import { cut, Id, issue, metaTime, type AdReferral, type MetaItem, type StatusItem } from './meta-items';
import { msEvent } from './ms-payloads';
import { flowAnswer, orderContent, sharedContacts, unsupportedText, WaContactCard, WaError, WaNfmReply, WaOrder } from './wa-message-content';
import { otherForms } from '../domain/phone-forms';

export type { AdReferral, EchoItem, EditItem, ErrorItem, InboundMessage, MetaItem, NumberChangeItem, ReactionItem, SkipItem, StatusItem } from './meta-items';
export { metaTime } from './meta-items';

// Meta's webhook deliveries, read item by item: one message, postback, referral or status the
// companion does not know (or that is malformed) becomes a `skip` and never takes the others
// with it. WhatsApp here, Messenger in ms-payloads.ts. Shapes:
// WhatsApp: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
//           https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
//           https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages

const WaMedia = z.object({ id: Id.optional(), caption: z.string().max(4096).optional(), filename: z.string().max(300).optional(), mime_type: z.string().max(200).optional(), link: z.string().max(2000).optional() }).passthrough();
// A Click-to-WhatsApp ad's `referral` (messages reference, text/image/video …: "referral"; components page).
const WaReferral = z.object({
  source_id: Id.optional(), source_type: z.string().optional(), source_url: z.string().optional(), headline: z.string().optional(), body: z.string().optional(),
  media_type: z.string().optional(), image_url: z.string().optional(), video_url: z.string().optional(), thumbnail_url: z.string().optional(), ctwa_clid: z.string().optional(),
}).passthrough();
const WaMessage = z.object({
  from: z.string().min(1).max(32), id: Id.optional(), type: z.string().max(40).optional(),
  text: z.object({ body: z.string().max(10_000) }).optional(), referral: WaReferral.optional(),
  image: WaMedia.optional(), video: WaMedia.optional(), document: WaMedia.optional(), audio: WaMedia.optional(), sticker: WaMedia.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().max(500).optional(), address: z.string().max(1000).optional() }).passthrough().optional(),
  interactive: z.object({
    type: z.string().max(40).optional(), button_reply: z.object({ id: z.string(), title: z.string() }).optional(), list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    nfm_reply: WaNfmReply.optional(),
  }).passthrough().optional(),
  button: z.object({ text: z.string().max(1000), payload: z.string().optional() }).passthrough().optional(),
  contacts: z.array(WaContactCard).max(300).optional(),
  order: WaOrder.optional(),
  reaction: z.object({ message_id: Id, emoji: z.string().max(64).optional() }).passthrough().optional(),
  system: z.object({ type: z.string().max(60).optional(), wa_id: z.string().max(32).optional(), new_wa_id: z.string().max(32).optional(), body: z.string().max(2000).optional() }).passthrough().optional(),
  unsupported: z.object({ type: z.string().max(60).optional() }).passthrough().optional(),
  // A customer's edit (WhatsApp Business app numbers, "Coexistence"): the message edited and its new content.
  edit: z.object({
    original_message_id: Id.optional(),
    message: z.object({ type: z.string().max(40).optional(), text: z.object({ body: z.string().max(10_000) }).optional(), ...Object.fromEntries(['image', 'video', 'document'].map((t) => [t, WaMedia.optional()])) }).passthrough().optional(),
  }).passthrough().optional(),
  errors: z.array(WaError).max(20).optional(),
  // The message this one replies to: the one whose button or list row was tapped, or one quoted.
  context: z.object({ id: Id.optional() }).passthrough().optional(),
}).passthrough();
const WaStatus = z.object({
  id: Id, status: z.string(), recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).passthrough().optional() }).passthrough()).optional(),
}).passthrough();

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

const WA_MEDIA = ['image', 'video', 'document', 'audio', 'sticker'] as const;
/**
 * Message kinds that carry nothing for the inbox: `ephemeral` (disappearing) and
 * `request_welcome` (a customer opening the chat for the first time; nothing was written).
 */
const WA_SKIPPED = new Set(['ephemeral', 'request_welcome']);

function waMessage(raw: unknown, value: Record<string, unknown>, accountId: string | null): MetaItem {
  const parsed = WaMessage.safeParse(raw);
  if (!parsed.success) return { kind: 'skip', reason: `WhatsApp message not understood (${issue(parsed.error)})` };
  const m = parsed.data;
  const type = m.type ?? 'text';
  if (WA_SKIPPED.has(type)) return { kind: 'skip', reason: `WhatsApp ${type} message not stored` };
  // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/reaction
  if (type === 'reaction') {
    if (!m.reaction || !m.id) return { kind: 'skip', reason: 'WhatsApp reaction without the message it reacts to' };
    return { kind: 'reaction', channel: 'whatsapp', accountId, senderId: m.from, dedupeKey: `wa:${m.id}`, targetId: m.reaction.message_id, emoji: m.reaction.emoji || null };
  }
  // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
  // (Meta has at times delivered edits as `unsupported` instead: a placeholder, below.)
  if (type === 'edit') return waEdit(m, accountId, (raw as { timestamp?: unknown }).timestamp);
  // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system
  if (type === 'system') {
    const to = m.system?.wa_id ?? m.system?.new_wa_id;
    if (m.system?.type !== 'user_changed_number' || !to) return { kind: 'skip', reason: `WhatsApp system message ${m.system?.type ?? ''} not used`.trim() };
    return { kind: 'number_change', channel: 'whatsapp', accountId, oldWaId: m.from, newWaId: to, externalId: m.id ?? null, dedupeKey: m.id ? `wa:${m.id}` : null };
  }
  const contacts = asArray(value.contacts).map(obj);
  const contact = contacts.find((c) => c.wa_id === m.from) ?? contacts[0];
  const name = typeof obj(contact?.profile).name === 'string' ? (obj(contact?.profile).name as string) : null;
  let text: string | null = m.text?.body ?? null;
  const attachments: Attachment[] = [];
  for (const t of WA_MEDIA) {
    const media = m[t];
    if (type !== t || !media) continue;
    attachments.push({
      type: t, ...(media.id ? { mediaId: media.id } : {}), ...(media.link ? { url: media.link } : {}), ...(media.caption ? { caption: media.caption } : {}),
      ...(media.filename ? { filename: media.filename } : {}), ...(media.mime_type ? { mimeType: media.mime_type } : {}),
    });
    text = media.caption ?? null;
  }
  if (type === 'location' && m.location) {
    const l = m.location;
    attachments.push({ type: 'location', url: `https://www.google.com/maps?q=${l.latitude},${l.longitude}`, ...(l.name ? { caption: l.name } : {}) });
    // Meta's address often starts with the place's name ("Praça do Comércio" at "Praça do
    // Comércio, 1100-148 Lisboa"): the name once, then the address.
    const named = l.name && l.address?.toLowerCase().startsWith(l.name.trim().toLowerCase()) ? [l.address] : [l.name, l.address];
    text = named.filter(Boolean).join(', ') || `Location ${l.latitude}, ${l.longitude}`;
  }
  let content: { data?: MessageData; aside?: boolean } = {};
  if (type === 'interactive') text = m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? null;
  if (type === 'interactive' && m.interactive?.nfm_reply) ({ text, ...content } = flowAnswer(m.interactive.nfm_reply));
  if (type === 'button') text = m.button?.text ?? null;
  if (type === 'contacts') ({ text, ...content } = sharedContacts(m.contacts ?? []));
  if (type === 'order' && m.order) ({ text, ...content } = orderContent(m.order));
  // `unknown` is what Meta's older payload examples call it.
  if (type === 'unsupported' || type === 'unknown') {
    text = unsupportedText(m.unsupported?.type, m.errors?.[0]);
    content = { aside: true };
  }
  if (text === null && attachments.length === 0 && !m.referral) return { kind: 'skip', reason: `WhatsApp ${type} message has nothing to store` };
  const ad = waAd(m.referral);
  return {
    kind: 'message', channel: 'whatsapp', accountId, senderId: m.from, name, externalId: m.id ?? null,
    dedupeKey: m.id ? `wa:${m.id}` : null, text: text?.slice(0, 4096) ?? null, attachments, ad, sentAt: metaTime((raw as { timestamp?: unknown }).timestamp, 's'),
    ...content, ...(m.context?.id ? { inReplyTo: m.context.id } : {}),
  };
}

/** The edit's new words: a text's body, or a media message's caption (the only parts WhatsApp lets a person edit). */
function waEdit(m: z.infer<typeof WaMessage>, accountId: string | null, timestamp: unknown): MetaItem {
  const target = m.edit?.original_message_id;
  const inner = m.edit?.message as { type?: string; text?: { body: string } } & Partial<Record<string, { caption?: string } | undefined>> | undefined;
  const text = inner?.text?.body ?? (inner?.type ? inner[inner.type] as { caption?: string } | undefined : undefined)?.caption;
  if (!m.id || !target || text === undefined) return { kind: 'skip', reason: 'WhatsApp edit without the message edited or its new text' };
  return { kind: 'edit', channel: 'whatsapp', accountId, senderId: m.from, dedupeKey: `wa:${m.id}`, targetId: target, text: text.slice(0, 4096), count: null, at: metaTime(timestamp, 's') };
}

/** An ad's referral (a post's, `source_type: post`, is no ad: not kept). Long values are cut, never a reason to skip the message. */
function waAd(r: z.infer<typeof WaReferral> | undefined): AdReferral | null {
  if (!r || r.source_type !== 'ad' || !r.source_id) return null;
  return {
    channel: 'whatsapp', adId: r.source_id, headline: cut(r.headline), body: cut(r.body), sourceUrl: cut(r.source_url), sourceType: 'ad',
    mediaType: cut(r.media_type), imageUrl: cut(r.image_url), videoUrl: cut(r.video_url), thumbnailUrl: cut(r.thumbnail_url), ctwaClid: cut(r.ctwa_clid),
    ref: null, postId: null, productId: null,
  };
}

function waStatus(raw: unknown, accountId: string | null): MetaItem {
  const parsed = WaStatus.safeParse(raw);
  if (!parsed.success) return { kind: 'skip', reason: `WhatsApp status not understood (${issue(parsed.error)})` };
  const s = parsed.data;
  if (!['sent', 'delivered', 'read', 'failed'].includes(s.status)) return { kind: 'skip', reason: `WhatsApp status ${s.status} not tracked` };
  const e = s.errors?.[0];
  const error = e ? `Meta error ${e.code ?? ''}: ${[e.title ?? e.message, e.error_data?.details].filter(Boolean).join(' — ')}`.replace('error :', 'error:') : null;
  return { kind: 'status', channel: 'whatsapp', accountId, externalIds: [s.id], status: s.status as StatusItem['status'], error };
}

/**
 * `value.errors`: Meta could not process something for the number (a system or account problem,
 * a rate limit). https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/errors
 */
function waError(raw: unknown, accountId: string | null): MetaItem {
  const e = WaError.safeParse(raw);
  const err = e.success ? e.data : {};
  return {
    kind: 'error', channel: 'whatsapp', accountId, code: err.code ?? null, title: (err.title ?? err.message ?? 'Error').slice(0, 300),
    details: (err.error_data?.details ?? err.details ?? null)?.slice(0, 1000) ?? null,
  };
}

/** Every item of one delivery, in order; never throws. */
export function metaItems(payload: unknown): MetaItem[] {
  const p = obj(payload);
  const items: MetaItem[] = [];
  if (p.object === 'whatsapp_business_account') {
    for (const entry of asArray(p.entry)) {
      for (const change of asArray(obj(entry).changes)) {
        const c = obj(change);
        if (c.field !== undefined && c.field !== 'messages') { items.push({ kind: 'skip', reason: `WhatsApp ${String(c.field).slice(0, 60)} change not used` }); continue; }
        const value = obj(c.value);
        const accountId = typeof obj(value.metadata).phone_number_id === 'string' ? (obj(value.metadata).phone_number_id as string) : null;
        for (const m of asArray(value.messages)) items.push(waMessage(m, value, accountId));
        for (const s of asArray(value.statuses)) items.push(waStatus(s, accountId));
        for (const e of asArray(value.errors)) items.push(waError(e, accountId));
      }
    }
    return items;
  }
  if (p.object === 'page') {
    for (const entry of asArray(p.entry)) {
      const e = obj(entry);
      const pageId = typeof e.id === 'string' ? e.id : null;
      for (const m of [...asArray(e.messaging), ...asArray(e.standby)]) items.push(msEvent(m, pageId));
    }
    return items;
  }
  return [{ kind: 'skip', reason: `Object ${typeof p.object === 'string' ? p.object.slice(0, 60) : 'missing'} is not WhatsApp or a Page` }];
}

/**
 * The wa_id forms one person may arrive under, to match a contact stored in E.164 (Brazil's ninth
 * digit, Mexico's 1, Argentina's 9: domain/phone-forms.ts). The wa_id as sent comes first, so a
 * contact stored under exactly it wins over one stored under another form.
 */
export function waIdCandidates(waId: string): string[] {
  const d = waId.replace(/\D/g, '');
  return [d, ...otherForms(d)].map((x) => `+${x}`);
}
