import { z } from 'zod';
import type { Attachment } from '../../../lib/contracts/channels';

/**
 * Chatwoot's payload shapes, lenient (unknown keys pass, most keys optional): webhooks and the
 * REST API share them. Sources (chatwoot/chatwoot @ 79381a4c, see shared FACTS.md §1):
 * - contact: Contact#webhook_data (app/models/contact.rb:165-179) and the REST contact partial
 *   (app/views/api/v1/models/_contact.json.jbuilder);
 * - conversation: Conversations::EventDataPresenter#push_data (app/presenters/conversations/
 *   event_data_presenter.rb:2-50) and the REST partial (api/v1/conversations/partials/_conversation);
 *   `id` is the display id; `messages` holds the last message, `message_type` as 0/1/2/3 there;
 * - message: Message#webhook_data (app/models/message.rb:171-189), `message_type` as a word.
 */
const Stamp = z.union([z.number(), z.string()]).nullish();

export const CwContact = z.looseObject({
  id: z.number().int(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone_number: z.string().nullish(),
  identifier: z.string().nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
  updated_at: Stamp,
});
export type CwContact = z.infer<typeof CwContact>;

/**
 * A message's files: Attachment#push_event_data (app/models/attachment.rb), in both the webhook's
 * message and the conversation's embedded one when there are any (message.rb webhook_data and
 * push_event_data: `attachments.map(&:push_event_data) if attachments.present?`). `file_type` is
 * image, audio, video, file, location, fallback, share, story_mention, contact…; `data_url` the
 * file's address (ActiveStorage's, ending in the file name), or the external URL of a location or
 * fallback, whose `fallback_title` names it. An item that does not fit is dropped, never the message.
 */
const CwAttachment = z.looseObject({
  file_type: z.string().min(1).max(30),
  data_url: z.string().nullish(),
  fallback_title: z.string().nullish(),
});
const CwAttachments = z.array(z.unknown()).nullish().catch(null)
  .transform((list) => (list ?? []).flatMap((item) => {
    const parsed = CwAttachment.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  }));
export type CwAttachment = z.infer<typeof CwAttachment>;

/**
 * A message's `content_attributes`, of which `in_reply_to`: the id of the message it quotes
 * (Chatwoot's own message id, as POST …/messages answers it), set by Message#ensure_in_reply_to
 * through Messages::InReplyToMessageBuilder (app/models/message.rb,
 * app/builders/messages/in_reply_to_message_builder.rb), which also finds it from a channel's
 * `in_reply_to_external_id` (a WhatsApp context.id); documented with the message object at
 * https://developers.chatwoot.com/api-reference/messages/create-new-message. Anything else there
 * (or a malformed value) reads as no quote: it never refuses the delivery.
 */
export const CwContentAttributes = z.looseObject({
  in_reply_to: z.union([z.number().int(), z.string().max(40)]).nullish().catch(null),
  /** Set when the message was deleted in Chatwoot (its content then reads "This message was deleted"; shared payloads/message_updated.json). */
  deleted: z.boolean().nullish().catch(null),
}).nullish().catch(null);

export type CwContentAttributes = z.infer<typeof CwContentAttributes>;

/** The Chatwoot id of the message this one quotes, if any. */
export const quotedMessageId = (attrs: CwContentAttributes | undefined): string | undefined =>
  attrs?.in_reply_to != null && String(attrs.in_reply_to).trim() !== '' ? String(attrs.in_reply_to).trim() : undefined;

export const CwEmbeddedMessage = z.looseObject({
  id: z.number().int(),
  content: z.string().nullish(),
  message_type: z.union([z.number(), z.string()]),
  private: z.boolean().nullish(),
  created_at: Stamp,
  /** The message's own `updated_at` (push_event_data is its attributes: an ISO string), when it is the embedded one. */
  updated_at: Stamp,
  sender_type: z.string().nullish(),
  attachments: CwAttachments,
  content_attributes: CwContentAttributes,
});

export const CwConversation = z.looseObject({
  id: z.number().int(),
  status: z.string(),
  labels: z.array(z.string()).nullish().transform((v) => v ?? []),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  meta: z.looseObject({
    sender: CwContact,
    assignee: z.looseObject({ id: z.number(), email: z.string().nullish() }).nullish(),
    /** The inbox's channel type in REST answers (api/v1/conversations/partials/_conversation.json.jbuilder). */
    channel: z.string().max(100).nullish(),
  }),
  /** The Chatwoot inbox it is in, and that inbox's channel type in webhooks ("Channel::Whatsapp"; push_data). */
  inbox_id: z.number().int().nullish(),
  channel: z.string().max(100).nullish(),
  messages: z.array(CwEmbeddedMessage).nullish().transform((v) => v ?? []),
  updated_at: Stamp,
  timestamp: Stamp,
  created_at: Stamp,
});
export type CwConversation = z.infer<typeof CwConversation>;

/** `changed_attributes`: `[{ attr: { previous_value, current_value } }]` (app/listeners/base_listener.rb:32-38); null on status_changed. */
export const ChangedAttributes = z.array(z.record(z.string(), z.looseObject({ previous_value: z.unknown(), current_value: z.unknown() })))
  .nullish()
  .transform((list) => Object.assign({}, ...(list ?? [])) as Record<string, { previous_value: unknown; current_value: unknown }>);

export const CwMessageEvent = z.looseObject({
  id: z.number().int(),
  content: z.string().nullish(),
  message_type: z.string(),
  private: z.boolean().nullish(),
  conversation: CwConversation,
  /** `sender.webhook_data`: a User's, a Contact's, or an AgentBot's `{ id, name, type: 'agent_bot' }` (app/models/agent_bot.rb webhook_data). */
  sender: z.looseObject({ id: z.number().optional(), type: z.string().max(40).nullish().catch(null), name: z.string().max(255).nullish().catch(null) }).nullish(),
  attachments: CwAttachments,
  content_attributes: CwContentAttributes,
});

export type CwMessageEvent = z.infer<typeof CwMessageEvent>;

/** Seconds since the epoch, from an integer/float timestamp or an ISO string; null when absent. */
export function stampSeconds(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e12 ? value / 1000 : value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return stampSeconds(n);
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms / 1000;
  }
  return null;
}

/** A contact payload's version: its updated_at, else the `updated_at` change a webhook carries. */
export function contactVersion(contact: CwContact, changed: Record<string, { current_value: unknown }>): number | null {
  return stampSeconds(contact.updated_at) ?? stampSeconds(changed.updated_at?.current_value);
}

/** Chatwoot renders message content as HTML for WebWidget/Email inboxes (markdown_renderer_service.rb); the companion keeps text. */
export function htmlToText(content: string): string {
  if (!/<[a-z/][^>]*>/i.test(content)) return content.trim();
  return content
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A message's text as the companion stores it (at most 4,096 characters). One without text is
 * its attachment, named as WhatsApp and Messenger media are ("[image]"), so a workflow's
 * conditions read the same whichever inbox the customer wrote in.
 */
export function messageText(text: string, attachments: Attachment[] = []): string {
  if (text.trim() !== '') return text.slice(0, 4096);
  return attachments[0] ? `[${attachments[0].type}]` : '(attachment)';
}

/** Chatwoot's attachments as the companion keeps them: the type, the address, a file's name (the address's last segment). */
export function toAttachments(list: CwAttachment[]): Attachment[] {
  return list.map((a) => {
    const url = a.data_url && a.data_url.length <= 2000 ? a.data_url : undefined;
    const caption = a.fallback_title?.slice(0, 4096) || undefined;
    return { type: a.file_type, ...(url ? { url } : {}), ...(caption ? { caption } : {}), ...(url && FILE_TYPES.has(a.file_type) ? nameOf(url) : {}) };
  });
}

const FILE_TYPES = new Set(['image', 'audio', 'video', 'file']);
function nameOf(url: string): { filename?: string } {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).at(-1);
    const name = last ? decodeURIComponent(last) : '';
    return name.includes('.') && name.length <= 300 ? { filename: name } : {};
  } catch {
    return {};
  }
}

/** 0 incoming, 1 outgoing, 2 activity, 3 template (app/models/message.rb enum); the webhook top level uses the words. */
export const isIncoming = (type: number | string) => type === 0 || type === 'incoming';
export const isOutgoingOrTemplate = (type: number | string) => type === 1 || type === 3 || type === 'outgoing' || type === 'template';
