import { z } from 'zod';
import type { Attachment } from '../../lib/contracts/channels';

// Meta's webhook deliveries, read item by item: one message, postback, referral or status the
// companion does not know (or that is malformed) becomes a `skip` and never takes the others
// with it. Shapes:
// WhatsApp: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
//           https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
// Messenger: https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages
//            .../messaging_postbacks, .../messaging_referrals, .../message-echoes, .../message-deliveries,
//            .../message-reads

export interface AdReferral { adId: string; headline: string | null; ctwaClid: string | null }

interface Base { channel: 'whatsapp' | 'messenger'; accountId: string | null }
/** A customer's message (or a postback the customer tapped), possibly referred by an ad. */
export interface InboundMessage extends Base {
  kind: 'message';
  /** WhatsApp: the wa_id (a phone number without "+"); Messenger: the page-scoped id. */
  senderId: string;
  name: string | null;
  /** wamid / mid; null when Meta gave none (then repeats cannot be recognised). */
  externalId: string | null;
  /** The key that makes this item happen once (wamid, mid, postback or referral identity). */
  dedupeKey: string | null;
  text: string | null;
  attachments: Attachment[];
  ad: AdReferral | null;
  /** When the customer sent it, by Meta's clock (a delivery Meta retries can arrive hours later). */
  sentAt: string | null;
}
/** A Page's own message (is_echo): outgoing, never a contact. */
export interface EchoItem extends Base { kind: 'echo'; recipientId: string; externalId: string | null; text: string | null; attachments: Attachment[] }
/** A delivery status of a message the business sent (WhatsApp statuses, Messenger deliveries and reads). */
export interface StatusItem extends Base {
  kind: 'status'; externalIds: string[]; status: 'sent' | 'delivered' | 'read' | 'failed'; error: string | null;
  /**
   * Messenger: every message the Page sent this person before `before` (reads: at or before it)
   * has the status, named by id or not (`watermark`, message-deliveries / message-reads).
   */
  watermark?: { psid: string; before: string; inclusive: boolean };
}
export interface SkipItem { kind: 'skip'; reason: string }
export type MetaItem = InboundMessage | EchoItem | StatusItem | SkipItem;

const Str = z.string().min(1).max(2000);
const Id = z.string().min(1).max(256);
const WaMedia = z.object({ id: Id.optional(), caption: z.string().max(4096).optional(), filename: z.string().max(300).optional(), mime_type: z.string().max(200).optional(), link: z.string().max(2000).optional() }).passthrough();
const WaReferral = z.object({ source_id: Id.optional(), source_type: z.string().optional(), headline: z.string().optional(), ctwa_clid: z.string().optional() }).passthrough();
const WaMessage = z.object({
  from: z.string().min(1).max(32), id: Id.optional(), type: z.string().max(40).optional(),
  text: z.object({ body: z.string().max(10_000) }).optional(), referral: WaReferral.optional(),
  image: WaMedia.optional(), video: WaMedia.optional(), document: WaMedia.optional(), audio: WaMedia.optional(), sticker: WaMedia.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().max(500).optional(), address: z.string().max(1000).optional() }).passthrough().optional(),
  interactive: z.object({ button_reply: z.object({ id: z.string(), title: z.string() }).optional(), list_reply: z.object({ id: z.string(), title: z.string() }).optional() }).passthrough().optional(),
  button: z.object({ text: z.string().max(1000), payload: z.string().optional() }).passthrough().optional(),
  contacts: z.array(z.object({ name: z.object({ formatted_name: z.string().optional() }).passthrough().optional() }).passthrough()).optional(),
}).passthrough();
const WaStatus = z.object({
  id: Id, status: z.string(), recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).passthrough().optional() }).passthrough()).optional(),
}).passthrough();

const MsAttachment = z.object({ type: z.string().max(40), payload: z.object({ url: z.string().max(2000).optional(), title: z.string().optional() }).passthrough().nullable().optional() }).passthrough();
const MsReferral = z.object({
  ad_id: z.string().optional(), source: z.string().optional(), type: z.string().optional(), ref: z.string().optional(),
  ads_context_data: z.object({ ad_title: z.string().optional() }).passthrough().optional(),
}).passthrough();
const MsEvent = z.object({
  sender: z.object({ id: z.string().min(1).max(64).optional(), user_ref: z.string().optional() }).passthrough(),
  recipient: z.object({ id: z.string().max(64).optional() }).passthrough().optional(),
  timestamp: z.union([z.number(), z.string()]).optional(),
  message: z.object({
    mid: Id.optional(), text: z.string().max(10_000).optional(), is_echo: z.boolean().optional(),
    attachments: z.array(MsAttachment).optional(), referral: MsReferral.optional(),
  }).passthrough().optional(),
  postback: z.object({ mid: Id.optional(), title: z.string().max(1000).optional(), payload: z.string().max(1000).optional(), referral: MsReferral.optional() }).passthrough().optional(),
  referral: MsReferral.optional(),
  delivery: z.object({ mids: z.array(Id).optional(), watermark: z.union([z.number(), z.string()]).optional() }).passthrough().optional(),
  read: z.object({ watermark: z.union([z.number(), z.string()]).optional() }).passthrough().optional(),
}).passthrough();

/** Meta's timestamps: WhatsApp in seconds (a string), Messenger in milliseconds; never later than now. */
export function metaTime(value: unknown, unit: 's' | 'ms'): string | null {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return null;
  const ms = Math.min(unit === 's' ? n * 1000 : n, Date.now());
  return ms > Date.UTC(2010, 0, 1) ? new Date(ms).toISOString() : null;
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const issue = (e: z.ZodError) => e.issues.slice(0, 2).map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; ');

const WA_MEDIA = ['image', 'video', 'document', 'audio', 'sticker'] as const;
/** Message kinds that carry nothing for the inbox (reactions, system notices, unsupported content). */
const WA_SKIPPED = new Set(['reaction', 'system', 'unsupported', 'unknown', 'ephemeral', 'order', 'request_welcome']);

function waMessage(raw: unknown, value: Record<string, unknown>, accountId: string | null): MetaItem {
  const parsed = WaMessage.safeParse(raw);
  if (!parsed.success) return { kind: 'skip', reason: `WhatsApp message not understood (${issue(parsed.error)})` };
  const m = parsed.data;
  const type = m.type ?? 'text';
  if (WA_SKIPPED.has(type)) return { kind: 'skip', reason: `WhatsApp ${type} message not stored` };
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
    text = [l.name, l.address].filter(Boolean).join(', ') || `Location ${l.latitude}, ${l.longitude}`;
  }
  if (type === 'interactive') text = m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? null;
  if (type === 'button') text = m.button?.text ?? null;
  if (type === 'contacts') text = `Shared contact: ${m.contacts?.map((c) => c.name?.formatted_name).filter(Boolean).join(', ') || 'unnamed'}`;
  if (text === null && attachments.length === 0 && !m.referral) return { kind: 'skip', reason: `WhatsApp ${type} message has nothing to store` };
  const r = m.referral;
  const ad = r && r.source_type === 'ad' && r.source_id ? { adId: r.source_id, headline: r.headline ?? null, ctwaClid: r.ctwa_clid ?? null } : null;
  return {
    kind: 'message', channel: 'whatsapp', accountId, senderId: m.from, name, externalId: m.id ?? null,
    dedupeKey: m.id ? `wa:${m.id}` : null, text: text?.slice(0, 4096) ?? null, attachments, ad, sentAt: metaTime((raw as { timestamp?: unknown }).timestamp, 's'),
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

function msAd(r: z.infer<typeof MsReferral> | undefined): AdReferral | null {
  return r && r.source === 'ADS' && r.ad_id ? { adId: r.ad_id, headline: r.ads_context_data?.ad_title ?? null, ctwaClid: null } : null;
}

function msEvent(raw: unknown, pageId: string | null): MetaItem {
  const parsed = MsEvent.safeParse(raw);
  if (!parsed.success) return { kind: 'skip', reason: `Messenger event not understood (${issue(parsed.error)})` };
  const e = parsed.data;
  const attachmentsOf = (list: z.infer<typeof MsAttachment>[] | undefined): Attachment[] => (list ?? []).map((a) => ({
    type: a.type, ...(a.payload?.url ? { url: a.payload.url } : {}), ...(a.payload?.title ? { caption: a.payload.title } : {}),
  }));
  if (e.message?.is_echo) {
    if (!e.recipient?.id) return { kind: 'skip', reason: 'Messenger echo without a recipient' };
    return { kind: 'echo', channel: 'messenger', accountId: pageId, recipientId: e.recipient.id, externalId: e.message.mid ?? null, text: e.message.text ?? null, attachments: attachmentsOf(e.message.attachments) };
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
  const base = { kind: 'message' as const, channel: 'messenger' as const, accountId: pageId, senderId: psid, name: null, sentAt: metaTime(e.timestamp, 'ms') };
  if (e.message) {
    const attachments = attachmentsOf(e.message.attachments);
    const text = e.message.text ?? null;
    const ad = msAd(e.message.referral ?? e.referral);
    if (!text && attachments.length === 0 && !ad) return { kind: 'skip', reason: 'Messenger message has nothing to store' };
    return { ...base, externalId: e.message.mid ?? null, dedupeKey: e.message.mid ? `ms:${e.message.mid}` : null, text: text?.slice(0, 4096) ?? null, attachments, ad };
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
        if (asArray(value.errors).length) items.push({ kind: 'skip', reason: 'WhatsApp error notification' });
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

/** The wa_id forms one person may arrive under, to match a contact stored in E.164. */
export function waIdCandidates(waId: string): string[] {
  const d = waId.replace(/\D/g, '');
  const out = [d];
  // Brazil: mobile numbers gained a ninth digit (9) after the two-digit area code; WhatsApp
  // often reports the older 12-digit form (55 + DDD + 8 digits).
  if (/^55\d{10}$/.test(d)) out.push(`${d.slice(0, 4)}9${d.slice(4)}`);
  if (/^55\d{2}9\d{8}$/.test(d)) out.push(`${d.slice(0, 4)}${d.slice(5)}`);
  // Mexico: mobile numbers used to carry a 1 after 52; WhatsApp still reports 521 + 10 digits.
  if (/^521\d{10}$/.test(d)) out.push(`52${d.slice(3)}`);
  if (/^52\d{10}$/.test(d)) out.push(`521${d.slice(2)}`);
  return out.map((x) => `+${x}`);
}
