import type { Attachment } from '../../lib/contracts/channels';
import type { SendMessageConfigValue, WhatsAppTemplateRef } from '../../lib/contracts/steps';
import { isFetchableLink, renderTemplateRef, templateComponents, templateProblem } from './template-components';

export { isFetchableLink };

/** A message ready to send: templates of ours already rendered. */
export interface SendSpec {
  kind: 'text' | 'media' | 'buttons' | 'template';
  text: string;
  media?: { type: 'image' | 'document' | 'video'; url: string; filename?: string };
  buttons?: { title: string; payload?: string }[];
  template?: WhatsAppTemplateRef;
  messenger?: { messagingType: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG'; tag?: string };
}

/** `render` fills our templates into text; `renderJson` into JSON text (a flow button's first-screen data). */
export function specFromConfig(c: SendMessageConfigValue, render: (t: string) => string, renderJson: (t: string) => string): SendSpec {
  return {
    kind: c.kind ?? 'text',
    text: render(c.text ?? ''),
    ...(c.media ? { media: { ...c.media, url: render(c.media.url).trim() } } : {}),
    ...(c.buttons ? { buttons: c.buttons } : {}),
    ...(c.template ? { template: renderTemplateRef(c.template, render, renderJson) } : {}),
    ...(c.messenger ? { messenger: c.messenger } : {}),
  };
}

export const templateSpec = (t: WhatsAppTemplateRef, render: (s: string) => string, renderJson: (s: string) => string): SendSpec =>
  ({ kind: 'template', text: '', template: renderTemplateRef(t, render, renderJson) });

/**
 * A template Meta would refuse, once our templates in it are rendered (a header link it cannot
 * fetch, a code too long, an offer that has ended…): the step fails saying so, before any call.
 */
export const badTemplate = (spec: SendSpec, now = Date.now()): string | null => (spec.template ? templateProblem(spec.template, now) : null);

/** What the inbox shows for a sent message (the customer sees the real thing). */
export function inboxText(spec: SendSpec): string {
  switch (spec.kind) {
    // A one-time code is the customer's: agents see that one was sent, not which.
    case 'template': return spec.template?.code !== undefined ? `[template ${spec.template.name}: a one-time code]`
      : `[template ${spec.template?.name ?? ''}${spec.template?.parameters.length ? `: ${spec.template.parameters.join(' | ')}` : ''}]`;
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
 * `reply` buttons; `template` with its components, template-components.ts, which cites each kind's page)
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
      const components = templateComponents(t);
      return {
        ...base, type: 'template',
        template: { name: t.name, language: { code: t.language }, ...(components.length ? { components } : {}) },
      };
    }
    default:
      return { ...base, type: 'text', text: { preview_url: false, body: spec.text } };
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
