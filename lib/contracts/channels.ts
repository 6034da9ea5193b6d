import { z } from 'zod';
import { Id, Timestamp } from './common';

// Channel connections: a WhatsApp Cloud API phone number or a Facebook Page the companion sends
// and receives messages through. Credentials are write-only: the API shows their last four.

export const CHANNEL_KINDS = ['whatsapp', 'messenger'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const Name = z.string().trim().min(1, 'Name the channel').max(100, 'A channel name has at most 100 characters');
/** Meta's object ids are numeric strings (phone number id, WABA id, Page id). */
const GraphId = (what: string) => z.string().trim().regex(/^\d{1,30}$/, `The ${what} is the number Meta shows for it (digits only)`);
const Token = z.string().trim().min(10, 'Paste the whole access token').max(1000, 'An access token has at most 1000 characters')
  .regex(/^[A-Za-z0-9_\-.|]+$/, 'An access token has no spaces or punctuation besides _ - . |');

export const ConnectWhatsApp = z.object({
  kind: z.literal('whatsapp'),
  name: Name,
  phoneNumberId: GraphId('phone number id'),
  businessAccountId: GraphId('WhatsApp Business Account id'),
  accessToken: Token,
});
export const ConnectMessenger = z.object({
  kind: z.literal('messenger'),
  name: Name,
  pageId: GraphId('Page id'),
  pageAccessToken: Token,
});
export const ConnectChannelBody = z.discriminatedUnion('kind', [ConnectWhatsApp, ConnectMessenger]);
export type ConnectChannelBody = z.infer<typeof ConnectChannelBody>;

/**
 * PATCH /channels/:id: a new name, a new token (the WhatsApp access token or the Page access
 * token), or a WhatsApp channel's corrected Business Account id; token and id are checked with Meta.
 */
export const UpdateChannelBody = z.object({
  name: Name.optional(),
  accessToken: Token.optional(),
  businessAccountId: GraphId('WhatsApp Business Account id').optional(),
}).refine((b) => b.name !== undefined || b.accessToken !== undefined || b.businessAccountId !== undefined, {
  message: 'Send a new name, or a new token in accessToken (a Page access token goes there too), or a WhatsApp channel\'s new businessAccountId',
});
export type UpdateChannelBody = z.infer<typeof UpdateChannelBody>;

export const Channel = z.object({
  id: Id,
  kind: z.enum(CHANNEL_KINDS),
  name: z.string(),
  /** What Meta answered when the channel was verified: the display number, or the Page's name. */
  displayName: z.string().nullable(),
  phoneNumberId: z.string().optional(),
  businessAccountId: z.string().optional(),
  pageId: z.string().optional(),
  /** The token's last four characters; the token itself is never returned. */
  tokenLastFour: z.string(),
  /** active, or error: Meta refused the token or a permission when sending (lastError says what to do). */
  status: z.string(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
});
export type Channel = z.infer<typeof Channel>;
export const ChannelList = z.object({ channels: z.array(Channel) });

/**
 * Delivery of an outgoing message through a channel (Meta's statuses; `pending`: attempt recorded,
 * no answer yet; `retrying`: Meta was throttling or down, and the workflow, or for an agent's reply the
 * server in the background, sends it again later).
 */
export const DELIVERY_STATUSES = ['pending', 'accepted', 'sent', 'delivered', 'read', 'failed', 'unknown', 'retrying'] as const;
export const MessageDelivery = z.object({
  status: z.enum(DELIVERY_STATUSES),
  error: z.string().nullable(),
  externalId: z.string().nullable(),
  updatedAt: Timestamp.nullable(),
});
export type MessageDelivery = z.infer<typeof MessageDelivery>;

export const Attachment = z.object({
  type: z.string().max(30),
  url: z.string().max(2000).optional(),
  /** Meta's media id (inbound WhatsApp media is referenced by id). */
  mediaId: z.string().max(200).optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(300).optional(),
  mimeType: z.string().max(200).optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/** Whether the channel lets a free-form message through now (Meta's 24-hour customer-service window). */
export const ChannelWindow = z.object({
  kind: z.enum(CHANNEL_KINDS),
  open: z.boolean(),
  /** When the window closes (24 h after the customer's last message); null when it is closed. */
  closesAt: Timestamp.nullable(),
  /** What can still be sent while it is closed. */
  note: z.string().nullable(),
  /** Set while Meta refuses the channel's token or a permission (Settings → Channels says what to do). */
  problem: z.string().nullable().optional(),
  /** When the customer last wrote on this channel (Meta's time); null: never. */
  lastIncomingAt: Timestamp.nullable().optional(),
  /**
   * Messenger with the 24-hour window closed: until when a person's reply still goes out, tagged
   * HUMAN_AGENT (7 days after the customer's last message); null otherwise.
   */
  humanAgentUntil: Timestamp.nullable().optional(),
  /**
   * WhatsApp refused a free-form reply sent at this time as outside its 24-hour window (131047),
   * after the customer last wrote: the window is closed until they write again, whatever
   * `lastIncomingAt` says. Absent otherwise.
   */
  refusedAt: Timestamp.optional(),
});
export type ChannelWindow = z.infer<typeof ChannelWindow>;

const ButtonIndex = z.number().int();
/** A template's body parameters as the step fills them: how many, and their names when named. */
const BodyNeeds = {
  parameterCount: z.number().int().min(0),
  /** A template with named parameters: their names in body order ({{first_name}} → first_name); null for positional ones. */
  parameterNames: z.array(z.string()).nullable(),
};

/**
 * A message template of the channel's WhatsApp Business Account, as the Send message step's
 * template picker lists it, with what the step has to give to send it. `parameterCount`: the
 * body's {{1}}…{{n}}, which the step fills.
 */
export const WhatsAppTemplate = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string().nullable(),
  body: z.string().nullable(),
  ...BodyNeeds,
  /** What its header needs from the step: its text parameter (named or not), a file by link, or a location; null when nothing. */
  header: z.object({ type: z.enum(['text', 'image', 'video', 'document', 'location']), parameterName: z.string().nullable() }).nullable(),
  /**
   * Its buttons that take a value, with their text: a link's {{1}} suffix, a code to copy, a flow
   * (an optional token and first-screen data), a catalog (an optional thumbnail product).
   */
  buttons: z.array(z.object({ index: ButtonIndex, type: z.enum(['url', 'copy_code', 'flow', 'catalog']), text: z.string() })),
  /** An authentication template: the step gives its one-time code (body and button); its button's kind. */
  authentication: z.object({ otpType: z.enum(['copy_code', 'one_tap', 'zero_tap']) }).nullable().default(null),
  /** A limited-time offer template: its offer text, and whether it shows the offer's end (then the step gives it). */
  limitedTimeOffer: z.object({ text: z.string().nullable(), hasExpiration: z.boolean() }).nullable().default(null),
  /** A media card carousel template: per card, its header's kind, its body's parameters and its buttons that take a value. */
  carousel: z.object({
    cards: z.array(z.object({
      header: z.enum(['image', 'video']),
      body: z.string().nullable(),
      ...BodyNeeds,
      buttons: z.array(z.object({ index: ButtonIndex, type: z.enum(['url', 'quick_reply']), text: z.string() })),
    })),
  }).nullable().default(null),
  /** Why a workflow cannot send it as it stands (not approved, a multi-product button, a product carousel); null: it can. */
  notSendable: z.string().nullable(),
});
export type WhatsAppTemplate = z.infer<typeof WhatsAppTemplate>;
export const WhatsAppTemplateList = z.object({ templates: z.array(WhatsAppTemplate) });
