// What the inbox reads from the API, parsed at the door. zod/mini keeps the page small (the
// classic zod that lib/contracts uses weighs ~100 KB minified and would dwarf the page); each
// reader is tied to its contract at compile time: `fits` below fails `tsc` (and so the build and
// the tests) when a contract renames, drops or retypes a field the inbox uses. Readers list only
// what the inbox uses, so a field added to a contract does not touch the page.
import type { z as zc } from 'zod';
import * as z from 'zod/mini';
import type {
  Contact as ContactContract, ContactList as ContactListContract, FieldDefinition as FieldContract, LifecycleStages as StagesContract, MergeContactsResult as MergeContract,
} from '../../../lib/contracts/contacts';
import type {
  Conversation as ConversationContract, ConversationDetail as DetailContract, ConversationSeen as SeenContract, ConversationList as ListContract, ConversationListItem as ListItemContract, Message as MessageContract,
} from '../../../lib/contracts/conversations';
import type { WhatsAppTemplateList as TemplateListContract } from '../../../lib/contracts/channels';
import type { MessagePage as MessagePageContract } from '../../../lib/contracts/conversation-messages';
import type { ErrorBody as ErrorContract } from '../../../lib/contracts/errors';
import type { LiveMessage as LiveContract } from '../../../lib/contracts/events';
import type { Me as MeContract, TeammateList as TeammateListContract, User as UserContract } from '../../../lib/contracts/users';

// The page's CSP has no 'unsafe-eval': without this zod probes `new Function` and Chromium logs a violation.
z.config({ jitless: true });

/** `true` only when every value the contract allows is one the reader accepts. */
type Fits<Contract, Reader extends z.ZodMiniType> = [Contract] extends [z.input<Reader>] ? true : false;

const nullableString = z.nullable(z.string());

export const User = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['agent', 'supervisor', 'admin']),
});
export type User = z.infer<typeof User>;

export const Me = z.object({
  user: User,
  permissions: z.object({ superviseAgents: z.boolean() }),
});
export type Me = z.infer<typeof Me>;
/** Everyone's name (GET /teammates): who a conversation is assigned to, who wrote a reply. */
// The email comes to supervisors and admins: it tells two of one name apart in Assign-to.
export const Teammate = z.object({ id: z.string(), name: z.string(), kind: z.string(), active: z.boolean(), email: z.optional(z.string()) });
export type Teammate = z.infer<typeof Teammate>;
export const TeammateList = z.object({ users: z.array(Teammate) });

export const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type FieldValue = z.infer<typeof FieldValue>;

export const Contact = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phone: nullableString,
  email: nullableString,
  tags: z.array(z.string()),
  fields: z.record(z.string(), FieldValue),
  /** One of the lifecycle stages in settings, or none. */
  lifecycle: z.optional(nullableString),
});
export type Contact = z.infer<typeof Contact>;
/** The lifecycle stages in order (respond.io's New lead → Customer); empty: the workspace uses none. */
export const LifecycleStages = z.object({ stages: z.array(z.string()) });
export const ContactList = z.object({ contacts: z.array(Contact) });
export const MergeResult = z.object({ contact: Contact, closedConversationId: nullableString });
export type MergeResult = z.infer<typeof MergeResult>;

export const FieldDefinition = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(['text', 'number', 'date', 'list', 'checkbox', 'url', 'phone', 'email']),
  options: z.array(z.string()),
});
export type FieldDefinition = z.infer<typeof FieldDefinition>;
export const FieldList = z.object({ fields: z.array(FieldDefinition) });

export const Attachment = z.object({
  type: z.string(),
  url: z.optional(z.string()),
  mediaId: z.optional(z.string()),
  caption: z.optional(z.string()),
  filename: z.optional(z.string()),
  mimeType: z.optional(z.string()),
});
export type Attachment = z.infer<typeof Attachment>;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(['incoming', 'outgoing']),
  /** `activity`: a line about what happened (a workflow launched, failed, stopped; a take over), shown as such (activity.ts). */
  kind: z.enum(['message', 'comment', 'activity']),
  /** A workflow's or a mini-app's message names it (`name`: its name when it wrote the message). */
  author: z.object({ type: z.enum(['contact', 'user', 'workflow', 'app']), id: nullableString, name: z.optional(z.string()) }),
  text: z.string(),
  createdAt: z.string(),
  /** A customer's message through a channel: when they sent it (its bubble's time); createdAt is when it arrived. */
  sentAt: z.optional(z.string()),
  /** Where it sits in the thread when not at createdAt (a late customer message, a Resend). */
  threadAt: z.optional(z.string()),
  /** Delivery through a WhatsApp / Messenger channel (Meta's statuses). */
  delivery: z.optional(z.object({ status: z.string(), error: nullableString })),
  /** Media received or sent through a channel or Chatwoot: a link (`url`) or Meta's media id (WhatsApp). */
  attachments: z.optional(z.array(Attachment)),
  /** The customer edited it (its bubble says "edited"; what it said before in the mark's tooltip). */
  edited: z.optional(z.object({ at: z.string(), count: z.number(), previous: z.array(z.object({ text: z.string(), replacedAt: z.string() })) })),
});
export type Message = z.infer<typeof Message>;

const conversationFields = {
  id: z.string(),
  contactId: z.string(),
  status: z.enum(['open', 'closed']),
  category: nullableString,
  summary: nullableString,
  assigneeId: nullableString,
  openedAt: z.string(),
  closedAt: nullableString,
  firstIncomingMessage: nullableString,
  firstResponseAt: nullableString,
  contact: Contact,
  /** Where the customer writes (whatsapp, messenger, inbox for the built-in one, a Chatwoot inbox's web, email…): the channel badge. */
  channelType: z.optional(nullableString),
};
/** A row of the list: `lastActivityAt` is what the server ordered it by (its latest message, else its opening). */
/** A row's latest message, its preview. */
const LastMessage = z.object({
  direction: z.enum(['incoming', 'outgoing']), kind: z.enum(['message', 'comment', 'activity']), text: z.string(),
  author: z.object({ type: z.enum(['contact', 'user', 'workflow', 'app']), id: nullableString, name: z.optional(z.string()) }),
  /** A failed reply says so in its row. */
  delivery: z.optional(z.object({ status: z.string() })),
});
export const ConversationListItem = z.object({
  ...conversationFields, lastActivityAt: z.string(), lastMessage: z.nullable(LastMessage),
  /** The customer's messages since this user last looked (at most 10); absent from a server before it. */
  unread: z.optional(z.number()),
  /** `chatwoot`: it lives in a Chatwoot account; its inbox's name there. */
  inboxKind: z.optional(nullableString), inboxName: z.optional(nullableString),
  /** The message a search found here, as plain text around the match. */
  match: z.optional(z.object({ kind: z.string(), snippet: z.string() })),
});
export type ConversationListItem = z.infer<typeof ConversationListItem>;
/** A page of the list, newest activity first: `nextCursor` fetches the next one; `total` counts every match. */
export const ConversationList = z.object({ conversations: z.array(ConversationListItem), nextCursor: nullableString, total: z.number(), totalIsLowerBound: z.optional(z.boolean()) });
export type ConversationList = z.infer<typeof ConversationList>;
/** On a WhatsApp / Messenger conversation: whether a free-form reply can go out now (Meta's 24-hour window). */
export const ChannelWindow = z.object({
  kind: z.string(), open: z.boolean(), closesAt: nullableString, note: nullableString, problem: z.optional(nullableString),
  /** Messenger past 24 hours: until when a person's reply goes out as a Human Agent reply (null: not any more). */
  humanAgentUntil: z.optional(nullableString),
});
export type ChannelWindow = z.infer<typeof ChannelWindow>;
/**
 * An approved template of the conversation's WhatsApp number (GET /conversations/:id/whatsapp-templates):
 * what the picker asks for. `carousel` and the rest are read only to tell which ones an agent cannot fill in here.
 */
export const WhatsAppTemplate = z.object({
  id: z.string(), name: z.string(), language: z.string(), body: nullableString,
  parameterCount: z.number(), parameterNames: z.nullable(z.array(z.string())),
  header: z.nullable(z.object({ type: z.string(), parameterName: nullableString })),
  buttons: z.array(z.object({ index: z.number(), type: z.string(), text: z.string() })),
  authentication: z.optional(z.nullable(z.object({ otpType: z.string() }))),
  limitedTimeOffer: z.optional(z.nullable(z.object({ hasExpiration: z.boolean() }))),
  carousel: z.optional(z.nullable(z.object({ cards: z.array(z.unknown()) }))),
  notSendable: nullableString,
});
export type WhatsAppTemplate = z.infer<typeof WhatsAppTemplate>;
export const WhatsAppTemplateList = z.object({ templates: z.array(WhatsAppTemplate) });
/** A workflow's question waits on the customer here: their next message goes to it. */
export const AwaitingAnswer = z.object({ runId: z.string(), workflowName: z.string(), shortcutName: z.optional(nullableString), until: z.string() });
export type AwaitingAnswer = z.infer<typeof AwaitingAnswer>;
/** What taking over from that question answers: what waits now (another workflow's question, if any). */
export const TakeOverResult = z.object({
  stoppedRunId: nullableString, awaitingAnswer: z.nullable(AwaitingAnswer),
  /** Whether the conversation is now the agent's, or stays a colleague's (said beside the composer). */
  assignment: z.optional(z.object({ outcome: z.enum(['assigned', 'yours', 'kept', 'failed']), assigneeId: nullableString, message: z.optional(z.string()) })),
});
export type TakeOverResult = z.infer<typeof TakeOverResult>;
/** One of the contact's conversations before the one shown, with its messages (`?history=true`). */
export const EarlierConversation = z.object({
  id: z.string(), status: z.enum(['open', 'closed']), category: nullableString, summary: nullableString, closeReason: nullableString,
  openedAt: z.string(), closedAt: nullableString, messages: z.array(Message),
  /** Its messages were cut short: the cursor of the ones before them (GET /conversations/:id/messages). */
  olderMessagesCursor: z.optional(nullableString),
});
export type EarlierConversation = z.infer<typeof EarlierConversation>;
/** A conversation that lives in Chatwoot: what the agent does here acts there; `url` opens it there. */
// `name`: the Chatwoot inbox's ("Website"), `account` the connected account's; `disconnected`: the account was disconnected since;
// `deleted`: Chatwoot deleted the conversation (the server's rule: only notes are taken).
export const ConversationInbox = z.object({
  kind: z.string(), name: z.string(), externalId: z.string(), url: z.string(),
  account: z.optional(z.string()), disconnected: z.optional(z.boolean()), deleted: z.optional(z.boolean()),
});
export type ConversationInbox = z.infer<typeof ConversationInbox>;
/** The ad the customer came from (Click-to-WhatsApp / Messenger): what the header says of it. */
export const AdReferral = z.object({ channel: z.string(), adId: z.string(), adName: z.string(), headline: nullableString, body: nullableString, sourceUrl: nullableString });
export const ConversationDetail = z.object({
  ...conversationFields, messages: z.array(Message),
  /** Its latest messages only: the cursor of the ones before them; null (or absent, an older server): the whole thread. */
  olderMessagesCursor: z.optional(nullableString),
  channel: z.optional(z.nullable(ChannelWindow)), awaitingAnswer: z.optional(z.nullable(AwaitingAnswer)),
  /** Every question waiting here (the one shown first): closing stops them all. */
  awaitingAnswers: z.optional(z.array(AwaitingAnswer)),
  adReferral: z.optional(z.nullable(AdReferral)),
  inbox: z.optional(z.nullable(ConversationInbox)),
  /** Why it closed when not by someone's hand (merge, superseded, deleted_in_chatwoot). */
  closeReason: z.optional(nullableString),
  /** Where the contact's conversation goes on (this one while open); null: none is open. */
  contactOpenConversationId: z.optional(nullableString),
  history: z.optional(z.object({ conversations: z.array(EarlierConversation), truncated: z.boolean() })),
});
export type ConversationDetail = z.infer<typeof ConversationDetail>;

/** A page of a conversation's messages, oldest first; `nextCursor` reads the one before it (null: its start). */
export const MessagePage = z.object({ messages: z.array(Message), nextCursor: nullableString });

/** What POST /conversations/:id/seen answers: which one this user has looked at. */
export const ConversationSeen = z.object({ conversationId: z.string() });

/** What a change (open, close, assign) answers; the inbox only needs to know which one. */
export const ConversationRef = z.object({ id: z.string() });

/** A 204's empty answer (read as null). */
export const Nothing = z.null();

export const ClosingCategories = z.object({ categories: z.array(z.string()) });

/** The API's error body; anything else (a proxy's HTML page) reads as "no body". */
export const ErrorBody = z.object({
  error: z.object({
    code: z.optional(z.string()),
    message: z.optional(z.string()),
    details: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});

/** The stream's messages the inbox acts on; other types pass through untouched (see live.ts). */
export const LiveMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation.changed'), conversationId: z.string(), contactId: z.string() }),
  z.object({ type: z.literal('contact.changed'), contactId: z.string() }),
  // This user looked at a conversation (here or in another tab): the list's unread counts follow.
  z.object({ type: z.literal('conversation.seen'), conversationId: z.string(), userId: z.string() }),
  // Someone's name, role or state changed: the signed-in user's header and controls follow (app.ts).
  z.object({ type: z.literal('user.changed'), userId: z.string() }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;

/** Fails to compile, naming the position, when a reader no longer fits its contract. */
type AllFit<T extends true[]> = T;
export type ContractChecks = AllFit<[
  Fits<UserContract, typeof User>, Fits<MeContract, typeof Me>, Fits<zc.output<typeof TeammateListContract>, typeof TeammateList>, Fits<ContactContract, typeof Contact>,
  Fits<FieldContract, typeof FieldDefinition>, Fits<MessageContract, typeof Message>,
  Fits<zc.output<typeof ListItemContract>, typeof ConversationListItem>, Fits<zc.output<typeof ListContract>, typeof ConversationList>,
  Fits<zc.output<typeof DetailContract>, typeof ConversationDetail>, Fits<zc.output<typeof MessagePageContract>, typeof MessagePage>,
  Fits<ConversationContract, typeof ConversationRef>, Fits<ErrorContract, typeof ErrorBody>, Fits<SeenContract, typeof ConversationSeen>,
  Fits<Extract<LiveContract, { type: 'conversation.changed' | 'contact.changed' | 'conversation.seen' | 'user.changed' }>, typeof LiveMessage>,
  Fits<zc.output<typeof ContactListContract>, typeof ContactList>, Fits<zc.output<typeof MergeContract>, typeof MergeResult>,
  Fits<zc.output<typeof StagesContract>, typeof LifecycleStages>, Fits<zc.output<typeof TemplateListContract>, typeof WhatsAppTemplateList>,
]>;
