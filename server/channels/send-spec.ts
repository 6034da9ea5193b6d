import type { Attachment } from '../../lib/contracts/channels';
import type { SendMessageConfigValue, WhatsAppTemplateRef } from '../../lib/contracts/steps';
import { isFetchableLink, renderTemplateRef, templateComponents, templateProblem } from './template-components';
import { buttonBodyTooLong, REPLY_LIMITS, replyTooLong } from '../../lib/contracts/reply-limits';
import { messengerButtonTextTooLong } from '../../lib/workflow/button-body';
import { metaLength } from '../../lib/contracts/choice-limits';

export { isFetchableLink };

/** A message ready to send: templates of ours already rendered. */
export interface SendSpec {
  /** `list`: a WhatsApp list message (its rows are `buttons`); Messenger sends it as quick replies. */
  kind: 'text' | 'media' | 'buttons' | 'list' | 'template';
  text: string;
  media?: { type: 'image' | 'document' | 'video'; url: string; filename?: string };
  buttons?: { title: string; payload?: string }[];
  /** A list message's button, the one that opens its rows. */
  listButton?: string;
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

/**
 * An interactive reply-button message's body text holds at most 1,024 characters
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages):
 * refused before the send (textTooLong) rather than cut, which the customer would get half of.
 */
export const BUTTON_BODY_MAX = REPLY_LIMITS.whatsapp_buttons;

/**
 * A text longer than the channel takes (lib/contracts/reply-limits.ts): Meta would refuse it. What
 * goes as a text: WhatsApp's text, list and reply-button messages and a media message's caption; on
 * Messenger also quick replies' text (its own words: lib/workflow/button-body.ts) and a caption,
 * sent as a text of its own (splitCaption). Counted in user-perceived characters, as Meta counts
 * (lib/contracts/choice-limits.ts metaLength): an emoji is one.
 */
export function textTooLong(kind: 'whatsapp' | 'messenger', spec: SendSpec, whose?: string): string | null {
  const length = metaLength(spec.text);
  if (kind === 'messenger' && (spec.kind === 'buttons' || spec.kind === 'list')) return messengerButtonTextTooLong(length, whose);
  if (kind === 'messenger') return spec.kind !== 'template' ? replyTooLong('messenger', length, whose) : null;
  if (spec.kind === 'text' || spec.kind === 'list') return replyTooLong('whatsapp', length, whose);
  if (spec.kind === 'buttons') return buttonBodyTooLong(length, whose ?? 'yours');
  return spec.kind === 'media' && spec.text.trim() ? replyTooLong('whatsapp_caption', length, whose) : null;
}

/** What the inbox shows for a sent message (the customer sees the real thing). */
export function inboxText(spec: SendSpec): string {
  switch (spec.kind) {
    // A one-time code is the customer's: agents see that one was sent, not which.
    case 'template': return spec.template?.code !== undefined ? `[template ${spec.template.name}: a one-time code]`
      : `[template ${spec.template?.name ?? ''}${spec.template?.parameters.length ? `: ${spec.template.parameters.join(' | ')}` : ''}]`;
    case 'media': return spec.text.trim() || `[${spec.media?.type ?? 'file'}] ${spec.media?.url ?? ''}`.trim();
    case 'buttons': return `${spec.text}\n${(spec.buttons ?? []).map((b) => `[${b.title}]`).join(' ')}`;
    case 'list': return `${spec.text}\n[${spec.listButton ?? LIST_BUTTON}]\n${(spec.buttons ?? []).map((b) => `- ${b.title}`).join('\n')}`;
    default: return spec.text;
  }
}

/**
 * Messenger attachments have no caption (the Send API's attachment payload is a url and
 * is_reusable only: https://developers.facebook.com/docs/messenger-platform/send-messages/saving-assets,
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api),
 * so a media message with a caption goes as the attachment, then the caption as a text message of
 * its own (as respond.io sends it), each stored and tracked apart. Other messages: as they are.
 */
export function splitCaption(kind: 'whatsapp' | 'messenger', spec: SendSpec): { first: SendSpec; caption?: SendSpec } {
  if (kind !== 'messenger' || spec.kind !== 'media' || !spec.text.trim()) return { first: spec };
  return { first: { ...spec, text: '' }, caption: { kind: 'text', text: spec.text, ...(spec.messenger ? { messenger: spec.messenger } : {}) } };
}

export const specAttachments = (spec: SendSpec): Attachment[] =>
  spec.kind === 'media' && spec.media
    ? [{ type: spec.media.type, url: spec.media.url, ...(spec.text.trim() ? { caption: spec.text } : {}), ...(spec.media.filename ? { filename: spec.media.filename } : {}) }]
    : [];

const payloadOf = (b: { title: string; payload?: string }, i: number) => (b.payload?.trim() || `button_${i + 1}`).slice(0, 256);
/** A list message's button when the step names none. */
export const LIST_BUTTON = 'Choose';

/**
 * WhatsApp Cloud API message body.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * (text; image/document/video by `link` with `caption`; interactive `button` with up to 3
 * `reply` buttons; `template` with its components, template-components.ts, which cites each kind's page)
 * Interactive `list`: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 * (body up to 4096 characters, button label ≤ 20, section title ≤ 24, up to 10 rows, row id ≤ 200, row title ≤ 24).
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
        interactive: { type: 'button', body: { text: spec.text }, action: { buttons: (spec.buttons ?? []).map((b, i) => ({ type: 'reply', reply: { id: payloadOf(b, i), title: b.title } })) } },
      };
    case 'list': {
      // One section, titled as its button (a section title is asked for; ≤ 20 fits its 24).
      const button = (spec.listButton ?? LIST_BUTTON).slice(0, 20);
      const rows = (spec.buttons ?? []).map((b, i) => ({ id: payloadOf(b, i).slice(0, 200), title: b.title }));
      return { ...base, type: 'interactive', interactive: { type: 'list', body: { text: spec.text }, action: { button, sections: [{ title: button, rows }] } } };
    }
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
 * Attachments by URL (`attachment.payload.url`; no caption: splitCaption sends it as a message of
 * its own); quick replies, also for a list (https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies);
 * messaging_type and message tags (https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags).
 */
export function messengerBody(psid: string, spec: SendSpec, metadata?: string): Record<string, unknown> {
  const messaging = spec.messenger ?? { messagingType: 'RESPONSE' as const };
  const base = { recipient: { id: psid }, messaging_type: messaging.messagingType, ...(messaging.messagingType === 'MESSAGE_TAG' && messaging.tag ? { tag: messaging.tag } : {}) };
  // Given back in the message's echo (echo-mark.ts).
  const marked = metadata ? { metadata } : {};
  switch (spec.kind) {
    case 'media': {
      const type = spec.media!.type === 'document' ? 'file' : spec.media!.type;
      return { ...base, message: { attachment: { type, payload: { url: spec.media!.url, is_reusable: true } }, ...marked } };
    }
    case 'buttons':
    case 'list':
      return { ...base, message: { text: spec.text, quick_replies: (spec.buttons ?? []).map((b, i) => ({ content_type: 'text', title: b.title, payload: payloadOf(b, i) })), ...marked } };
    default:
      return { ...base, message: { text: spec.text, ...marked } };
  }
}
