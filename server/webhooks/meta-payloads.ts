import { z } from 'zod';

// Meta's documented webhook shapes, read leniently: unknown fields are ignored, and a payload
// that is valid JSON but not a shape we know yields no messages (Meta sends many event kinds).

const WaReferral = z.object({
  source_url: z.string().optional(), source_id: z.string().optional(), source_type: z.string().optional(),
  headline: z.string().optional(), body: z.string().optional(), ctwa_clid: z.string().optional(),
}).passthrough();
const WaMessage = z.object({
  from: z.string().min(1).max(32), id: z.string().optional(), type: z.string().optional(),
  text: z.object({ body: z.string() }).optional(), referral: WaReferral.optional(),
}).passthrough();
const WaValue = z.object({
  contacts: z.array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(WaMessage).optional(),
}).passthrough();
const WhatsAppPayload = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({ changes: z.array(z.object({ value: WaValue, field: z.string().optional() })).default([]) })).max(100),
});

const MsReferral = z.object({
  ad_id: z.string().optional(), source: z.string().optional(), type: z.string().optional(), ref: z.string().optional(),
  ads_context_data: z.object({ ad_title: z.string().optional() }).passthrough().optional(),
}).passthrough();
const MsEvent = z.object({
  sender: z.object({ id: z.string().min(1).max(64) }),
  message: z.object({ mid: z.string().optional(), text: z.string().optional(), referral: MsReferral.optional() }).passthrough().optional(),
  referral: MsReferral.optional(),
}).passthrough();
const MessengerPayload = z.object({
  object: z.literal('page'),
  entry: z.array(z.object({ messaging: z.array(MsEvent).default([]) })).max(100),
});

/** One inbound message as the inbox stores it, with the ad that referred it if any. */
export interface InboundMessage {
  channel: 'whatsapp' | 'messenger';
  /** WhatsApp: the wa_id (a phone number without "+"); Messenger: the page-scoped id. */
  senderId: string;
  name: string | null;
  text: string | null;
  ad: { adId: string; headline: string | null; ctwaClid: string | null } | null;
}

export function inboundMessages(payload: unknown): InboundMessage[] {
  const wa = WhatsAppPayload.safeParse(payload);
  if (wa.success) {
    return wa.data.entry.flatMap((e) => e.changes.flatMap(({ value }) => (value.messages ?? []).map((m): InboundMessage => {
      const name = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name ?? value.contacts?.[0]?.profile?.name ?? null;
      const r = m.referral;
      const ad = r && r.source_type === 'ad' && r.source_id ? { adId: r.source_id, headline: r.headline ?? null, ctwaClid: r.ctwa_clid ?? null } : null;
      return { channel: 'whatsapp', senderId: m.from, name, text: m.text?.body ?? null, ad };
    })));
  }
  const ms = MessengerPayload.safeParse(payload);
  if (ms.success) {
    return ms.data.entry.flatMap((e) => e.messaging.filter((m) => m.message || m.referral).map((m): InboundMessage => {
      const r = m.referral ?? m.message?.referral;
      const ad = r && r.source === 'ADS' && r.ad_id ? { adId: r.ad_id, headline: r.ads_context_data?.ad_title ?? null, ctwaClid: null } : null;
      return { channel: 'messenger', senderId: m.sender.id, name: null, text: m.message?.text ?? null, ad };
    }));
  }
  return [];
}
