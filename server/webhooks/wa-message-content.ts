import { z } from 'zod';
import type { MessageData, SharedContact } from '../../lib/contracts/message-data';

// WhatsApp message kinds whose content is more than a text: what the agent reads (the text) and
// what the API keeps of it (`data`). Shapes, from Meta's messages webhook reference:
// Flows (interactive nfm_reply): https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/receiveflowresponse
// Contacts: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/contacts
// Order: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/order
// Unsupported: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/unsupported

const S = z.string().max(2000);

export const WaNfmReply = z.object({ name: S.optional(), body: S.optional(), response_json: z.string().max(100_000).optional() }).passthrough();
export const WaContactCard = z.object({
  name: z.object({ formatted_name: S.optional(), first_name: S.optional(), last_name: S.optional() }).passthrough().optional(),
  // "Many contact properties may be omitted if the WhatsApp user chooses not to share them."
  phones: z.array(z.object({ phone: S.optional(), type: S.optional(), wa_id: S.optional() }).passthrough()).max(50).optional(),
  emails: z.array(z.object({ email: S.optional(), type: S.optional() }).passthrough()).max(50).optional(),
  org: z.object({ company: S.optional(), department: S.optional(), title: S.optional() }).passthrough().optional(),
}).passthrough();
export const WaOrder = z.object({
  catalog_id: S.optional(), text: z.string().max(4096).optional(),
  product_items: z.array(z.object({
    product_retailer_id: S, quantity: z.union([z.number(), z.string()]).optional(),
    item_price: z.union([z.number(), z.string()]).optional(), currency: S.optional(),
  }).passthrough()).max(500).optional(),
}).passthrough();
export const WaError = z.object({ code: z.number().optional(), title: S.optional(), message: S.optional(), details: S.optional(), error_data: z.object({ details: S.optional() }).passthrough().optional() }).passthrough();

export interface Content { text: string; data?: MessageData }
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const num = (v: unknown) => (v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));

/** A flow field's value as the text shows it and `data` keeps it: nested values as their JSON. */
function fieldValue(v: unknown): string | number | boolean | null {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return cut(v, 2000);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return cut(v.join(', '), 2000);
  return cut(JSON.stringify(v) ?? '', 2000);
}

/**
 * A WhatsApp Flow's answer: "Flow answer: name: Ana Lima, size: M". `flow_token` (ours, sent with
 * the flow) is left out; a response_json that is not an object keeps Meta's `body` ("Sent").
 */
export function flowAnswer(reply: z.infer<typeof WaNfmReply>): Content {
  let parsed: unknown;
  try { parsed = reply.response_json ? JSON.parse(reply.response_json) : undefined; } catch { parsed = undefined; }
  const fields: Record<string, string | number | boolean | null> = {};
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed).slice(0, 100)) if (key !== 'flow_token') fields[cut(key, 200)] = fieldValue(value);
  }
  const label = reply.name === 'address_message' ? 'Address' : 'Flow answer';
  const shown = Object.entries(fields).map(([k, v]) => `${k}: ${v === null ? '' : String(v)}`).join(', ');
  return {
    text: cut(`${label}: ${shown || reply.body || 'sent, with no fields'}`, 4096),
    data: { type: 'flow_response', name: cut(reply.name ?? 'flow', 200), fields },
  };
}

const label = (type: string | undefined) => (type ? ` (${cut(type, 200)})` : '');
function sharedContact(c: z.infer<typeof WaContactCard>): SharedContact {
  const n = c.name;
  const name = n?.formatted_name || [n?.first_name, n?.last_name].filter(Boolean).join(' ') || 'unnamed';
  const org = c.org && (c.org.company || c.org.department || c.org.title)
    ? { ...(c.org.company ? { company: cut(c.org.company, 200) } : {}), ...(c.org.department ? { department: cut(c.org.department, 200) } : {}), ...(c.org.title ? { title: cut(c.org.title, 200) } : {}) }
    : undefined;
  return {
    name: cut(name, 200),
    phones: (c.phones ?? []).flatMap((p) => (p.phone || p.wa_id
      ? [{ phone: cut(p.phone || `+${p.wa_id}`, 200), ...(p.type ? { type: cut(p.type, 200) } : {}), ...(p.wa_id ? { waId: cut(p.wa_id, 200) } : {}) }] : [])),
    emails: (c.emails ?? []).flatMap((e) => (e.email ? [{ email: cut(e.email, 200), ...(e.type ? { type: cut(e.type, 200) } : {}) }] : [])),
    ...(org ? { org } : {}),
  };
}

/**
 * Shared contact cards, each as the agent needs it to call or write: its name, then every phone
 * with its type (and WhatsApp id when WhatsApp knows the number), email and organisation.
 */
export function sharedContacts(cards: z.infer<typeof WaContactCard>[]): Content {
  const contacts = cards.slice(0, 50).map(sharedContact);
  const text = contacts.map((c) => [
    `Shared contact: ${c.name}`,
    ...c.phones.map((p) => `Phone${label(p.type)}: ${p.phone}${p.waId ? ` (WhatsApp ${p.waId})` : ''}`),
    ...c.emails.map((e) => `Email${label(e.type)}: ${e.email}`),
    ...(c.org ? [`Organization: ${[c.org.company, c.org.department, c.org.title].filter(Boolean).join(', ')}`] : []),
  ].join('\n')).join('\n\n');
  return { text: cut(text || 'Shared contact: unnamed', 4096), data: { type: 'contacts', contacts } };
}

/** A cart from the catalog: "Order: 2 × di9ozbzfi4 at 7.99 USD; …", then the customer's text. */
export function orderContent(order: z.infer<typeof WaOrder>): Content {
  const items = (order.product_items ?? []).map((i) => ({
    productRetailerId: cut(i.product_retailer_id, 200), quantity: num(i.quantity) ?? 1, itemPrice: num(i.item_price), currency: i.currency ? cut(i.currency, 200) : null,
  }));
  const lines = items.map((i) => `${i.quantity} × ${i.productRetailerId}${i.itemPrice !== null ? ` at ${i.itemPrice}${i.currency ? ` ${i.currency}` : ''}` : ''}`);
  const head = `Order${order.catalog_id ? ` (catalog ${cut(order.catalog_id, 100)})` : ''}: ${lines.join('; ') || 'no items'}`;
  return {
    text: cut(order.text ? `${head}\n${order.text}` : head, 4096),
    data: { type: 'order', catalogId: order.catalog_id ? cut(order.catalog_id, 200) : null, text: order.text ?? null, items },
  };
}

/** What Meta's `unsupported.type` was, in the agent's words. */
const UNSUPPORTED: Record<string, string> = {
  poll_creation: 'a poll', poll_update: 'a vote in a poll', edit: 'an edit of an earlier message', pin: 'a pinned message',
  group_invite: 'a group invite', keep_in_chat: 'a "keep in chat" change', gif: 'a GIF', media_placeholder: 'media WhatsApp did not pass on',
  product: 'a product', list: 'a list', hsm: 'a template message', link_preview: 'a link preview', interactive: 'an interactive message',
};

/**
 * The placeholder an agent sees for a message WhatsApp does not pass to the API (131051), or that
 * is not available yet (131060: the first message to a number also on the WhatsApp Business app).
 */
export function unsupportedText(unsupportedType: string | undefined, error: z.infer<typeof WaError> | undefined): string {
  if (error?.code === 131060) {
    return 'The customer sent a message WhatsApp has not made available to the API yet ("This message is currently unavailable"): ask them to send it again';
  }
  const what = unsupportedType ? (UNSUPPORTED[unsupportedType] ?? `"${cut(unsupportedType, 40)}"`) : '';
  return what
    ? `The customer sent ${what}, a message type WhatsApp does not deliver to the API: ask them to send it as text`
    : 'The customer sent a message type WhatsApp does not deliver to the API (e.g. a poll or an edit): ask them to send it as text';
}

/** A reaction as a short line in the conversation: "Reacted 👍 to: “Your order ships today”". */
export function reactionText(emoji: string | null, quoted: string | null): string {
  const to = quoted === null ? 'a message' : `“${cut(quoted.replace(/\s+/g, ' ').trim(), 80)}”`;
  return emoji ? `Reacted ${emoji} to: ${to}` : `Removed a reaction from: ${to}`;
}
