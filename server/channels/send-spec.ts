import type { Attachment } from '../../lib/contracts/channels';
import { isCoordinate, type SendMessageConfigValue, type WhatsAppTemplateHeader, type WhatsAppTemplateRef } from '../../lib/contracts/steps';

/** A message ready to send: templates of ours already rendered. */
export interface SendSpec {
  kind: 'text' | 'media' | 'buttons' | 'template';
  text: string;
  media?: { type: 'image' | 'document' | 'video'; url: string; filename?: string };
  buttons?: { title: string; payload?: string }[];
  template?: WhatsAppTemplateRef;
  messenger?: { messagingType: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG'; tag?: string };
}

export function specFromConfig(c: SendMessageConfigValue, render: (t: string) => string): SendSpec {
  const tpl = (t: WhatsAppTemplateRef | undefined) => t && renderTemplate(t, render);
  return {
    kind: c.kind ?? 'text',
    text: render(c.text ?? ''),
    ...(c.media ? { media: { ...c.media, url: render(c.media.url).trim() } } : {}),
    ...(c.buttons ? { buttons: c.buttons } : {}),
    ...(c.template ? { template: tpl(c.template)! } : {}),
    ...(c.messenger ? { messenger: c.messenger } : {}),
  };
}

/** A template reference with our templates in its values rendered (parameters, the header's text or link). */
function renderTemplate(t: WhatsAppTemplateRef, render: (s: string) => string): WhatsAppTemplateRef {
  const h = t.header;
  const header = h && (h.type === 'text' ? { ...h, text: render(h.text) }
    : h.type === 'location' ? { ...h, latitude: render(h.latitude).trim(), longitude: render(h.longitude).trim(), ...(h.name ? { name: render(h.name) } : {}), ...(h.address ? { address: render(h.address) } : {}) }
    : { ...h, url: render(h.url).trim() });
  return { ...t, parameters: t.parameters.map(render), ...(header ? { header } : {}), ...(t.buttons ? { buttons: t.buttons.map((b) => ({ ...b, value: render(b.value) })) } : {}) };
}

export const templateSpec = (t: WhatsAppTemplateRef, render: (s: string) => string): SendSpec =>
  ({ kind: 'template', text: '', template: renderTemplate(t, render) });

/** A link Meta fetches itself (a media message's file, a template header's): https only. */
export const isFetchableLink = (url: string) => /^https:\/\/\S+$/i.test(url);

/**
 * A template header Meta would refuse, once our templates in it are rendered: a link it cannot
 * fetch (not https), or a location whose coordinates are not numbers in range (a contact field
 * left empty). The step fails saying so, before any call.
 */
export function badHeader(spec: SendSpec): string | null {
  const h = spec.template?.header;
  const cannot = `Cannot send template ${spec.template?.name ?? ''}: its header`;
  if (!h || h.type === 'text') return null;
  if (h.type === 'location') {
    if (!isCoordinate(h.latitude, 90)) return `${cannot} location's latitude "${h.latitude}" is not a number of degrees from -90 to 90`;
    if (!isCoordinate(h.longitude, 180)) return `${cannot} location's longitude "${h.longitude}" is not a number of degrees from -180 to 180`;
    return null;
  }
  return isFetchableLink(h.url) ? null : `${cannot} ${h.type} link "${h.url}" is not an https:// URL Meta can fetch`;
}

/** What the inbox shows for a sent message (the customer sees the real thing). */
export function inboxText(spec: SendSpec): string {
  switch (spec.kind) {
    case 'template': return `[template ${spec.template?.name ?? ''}${spec.template?.parameters.length ? `: ${spec.template.parameters.join(' | ')}` : ''}]`;
    case 'media': return spec.text.trim() || `[${spec.media?.type ?? 'file'}] ${spec.media?.url ?? ''}`.trim();
    case 'buttons': return `${spec.text}\n${(spec.buttons ?? []).map((b) => `[${b.title}]`).join(' ')}`;
    default: return spec.text;
  }
}

export const specAttachments = (spec: SendSpec): Attachment[] =>
  spec.kind === 'media' && spec.media
    ? [{ type: spec.media.type, url: spec.media.url, ...(spec.text.trim() ? { caption: spec.text } : {}), ...(spec.media.filename ? { filename: spec.media.filename } : {}) }]
    : [];

const payloadOf = (b: { title: string; payload?: string }, i: number) => (b.payload?.trim() || `button_${i + 1}`).slice(0, 256);

/**
 * WhatsApp Cloud API message body.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * (text; image/document/video by `link` with `caption`; interactive `button` with up to 3
 * `reply` buttons; `template` with header, body and button parameters, positional or named by
 * `parameter_name`: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components;
 * a location header's `location` {latitude, longitude, name, address}: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/utility-templates/location-templates/;
 * a copy-code button's `coupon_code`: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/coupon-templates)
 */
export function whatsappBody(to: string, spec: SendSpec): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  switch (spec.kind) {
    case 'media': {
      const m = spec.media!;
      const caption = spec.text.trim() ? { caption: spec.text } : {};
      return { ...base, type: m.type, [m.type]: { link: m.url, ...caption, ...(m.type === 'document' && m.filename ? { filename: m.filename } : {}) } };
    }
    case 'buttons':
      return {
        ...base, type: 'interactive',
        interactive: { type: 'button', body: { text: spec.text.slice(0, 1024) }, action: { buttons: (spec.buttons ?? []).map((b, i) => ({ type: 'reply', reply: { id: payloadOf(b, i), title: b.title } })) } },
      };
    case 'template': {
      const t = spec.template!;
      const h = t.header;
      const components = [
        ...(h ? [{ type: 'header', parameters: [headerParameter(h)] }] : []),
        ...(t.parameters.length ? [{ type: 'body', parameters: t.parameters.map((text, i) => ({ type: 'text', ...(t.parameterNames ? { parameter_name: t.parameterNames[i] } : {}), text })) }] : []),
        ...(t.buttons ?? []).map((b) => ({
          type: 'button', sub_type: b.type, index: String(b.index),
          parameters: [b.type === 'copy_code' ? { type: 'coupon_code', coupon_code: b.value } : { type: 'text', text: b.value }],
        })),
      ];
      return {
        ...base, type: 'template',
        template: { name: t.name, language: { code: t.language }, ...(components.length ? { components } : {}) },
      };
    }
    default:
      return { ...base, type: 'text', text: { preview_url: false, body: spec.text } };
  }
}

function headerParameter(h: WhatsAppTemplateHeader): Record<string, unknown> {
  switch (h.type) {
    case 'text': return { type: 'text', ...(h.parameterName ? { parameter_name: h.parameterName } : {}), text: h.text };
    // Coordinates as strings, as Meta's examples send them.
    case 'location': return { type: 'location', location: { latitude: h.latitude, longitude: h.longitude, ...(h.name?.trim() ? { name: h.name } : {}), ...(h.address?.trim() ? { address: h.address } : {}) } };
    default: return { type: h.type, [h.type]: { link: h.url } };
  }
}

/**
 * Messenger Send API body. https://developers.facebook.com/docs/messenger-platform/reference/send-api
 * Attachments by URL (`attachment.payload.url`; Messenger attachments carry no caption, so
 * the caption stays in the inbox only and the step notes it); quick replies (https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies);
 * messaging_type and message tags (https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags).
 */
export function messengerBody(psid: string, spec: SendSpec): Record<string, unknown> {
  const messaging = spec.messenger ?? { messagingType: 'RESPONSE' as const };
  const base = { recipient: { id: psid }, messaging_type: messaging.messagingType, ...(messaging.messagingType === 'MESSAGE_TAG' && messaging.tag ? { tag: messaging.tag } : {}) };
  switch (spec.kind) {
    case 'media': {
      const type = spec.media!.type === 'document' ? 'file' : spec.media!.type;
      return { ...base, message: { attachment: { type, payload: { url: spec.media!.url, is_reusable: true } } } };
    }
    case 'buttons':
      return { ...base, message: { text: spec.text, quick_replies: (spec.buttons ?? []).map((b, i) => ({ content_type: 'text', title: b.title, payload: payloadOf(b, i) })) } };
    default:
      return { ...base, message: { text: spec.text } };
  }
}
