import { z } from 'zod';
import { Id, Timestamp, unknownKeys } from './common';
import { Contact } from './contacts';
import { Attachment, ChannelWindow, MessageDelivery } from './channels';
import { MessageData } from './message-data';
import { MessageEdits } from './message-edits';
import { WhatsAppTemplateRef } from './whatsapp-template-ref';
import { AdReferral } from './ad-referral';
import { decodedCursor, listQuery, pageLimit } from './list-query';
import { timeIdCursor, type TimeIdCursor } from './time-id-cursor';
import { TimeBound } from './runs';
import { MESSAGE_MAX, replyTooLong } from './reply-limits';
import { metaLength } from './choice-limits';

export const OPENED_BY = ['user', 'workflow', 'contact', 'api', 'zapier', 'make', 'click_to_chat_ads'] as const;
export const CLOSED_BY = ['user', 'workflow', 'bot', 'api', 'zapier', 'make'] as const;
/** What an API caller may state as the source of its change. */
export const API_SOURCES = ['api', 'zapier', 'make'] as const;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  direction: z.enum(['incoming', 'outgoing']),
  /**
   * `activity`: a line the companion writes about what happened in the conversation (Chatwoot's
   * activity messages): a workflow launched, waiting to try a step again, failed or stopped, an
   * agent taking over. Never the customer's or an agent's turn: it answers no question, starts no
   * workflow (no Message Created), goes to no channel, and is not the list's latest message.
   * Times in its text are ISO 8601 (UTC); the built-in inbox shows them in the agent's time.
   */
  kind: z.enum(['message', 'comment', 'activity']),
  /**
   * Who wrote it. A workflow's message (`type: workflow`, `id` its workflow id) carries the
   * workflow's `name` as it was when the run wrote it, so a reader can say "Workflow: Order
   * shipped" without a lookup (and after the workflow is renamed or deleted). A reply or note
   * posted with a mini-app's API key is the app's (`type: app`, `id` its app id, `name` its name
   * then), as Chatwoot names an integration's messages; a user's is `user` with their id.
   */
  author: z.object({ type: z.enum(['contact', 'user', 'workflow', 'app']), id: z.string().nullable(), name: z.string().optional() }),
  text: z.string(),
  createdAt: Timestamp,
  /** Set when the message went through a channel (WhatsApp, Messenger): Meta's id and delivery status. */
  delivery: MessageDelivery.optional(),
  /** Media received or sent through a channel (caption and reference kept). */
  attachments: z.array(Attachment).optional(),
  /**
   * A customer's message through a channel: when they sent it, by Meta's clock. `createdAt` is
   * when it arrived here (Meta redelivers for days after an outage), which orders the inbox. A
   * message from Chatwoot has no `sentAt`: its `createdAt` is Chatwoot's own time (Chatwoot has
   * already placed it in its thread, and its agents read that order).
   */
  sentAt: Timestamp.optional(),
  /**
   * Where the message sits in its thread, when not at `createdAt`; threads are read in
   * (`threadAt` ?? `createdAt`, `id`) order. A customer's message Meta delivered out of order sits
   * where they sent it (the end of `sentAt`'s second), but never above a message that had been in
   * the thread for more than 10 minutes when it arrived: late by days, it comes last, as on a phone
   * that was offline.
   * A reply sent again (Resend) sits where it went out again.
   */
  threadAt: Timestamp.optional(),
  /** What the customer sent beyond its text: a WhatsApp Flow's answer fields, shared contact cards, an order. */
  data: MessageData.optional(),
  /** The customer edited it after sending (Messenger, WhatsApp): `text` is the latest; the inbox marks it "edited". */
  edited: MessageEdits.optional(),
});
export type Message = z.infer<typeof Message>;

export const Conversation = z.object({
  id: Id,
  contactId: Id,
  status: z.enum(['open', 'closed']),
  openedBySource: z.string(),
  closedBySource: z.string().nullable(),
  closeReason: z.string().nullable(),
  category: z.string().nullable(),
  summary: z.string().nullable(),
  assigneeId: z.string().nullable(),
  openedAt: Timestamp,
  closedAt: Timestamp.nullable(),
  firstIncomingMessage: z.string().nullable(),
  firstResponseAt: Timestamp.nullable(),
  /** The connection that carries it (a WhatsApp number, a Page, a Chatwoot account); null: built-in. */
  connectionId: z.string().nullable(),
  /** Its id in that connection (a Chatwoot conversation number, the customer's wa_id or PSID). */
  externalId: z.string().nullable(),
  /**
   * The Click-to-WhatsApp / Click-to-Messenger ad the customer came from (the first one, when the
   * conversation was opened by it or before any other); null: none. Templates read it as
   * `{{$conversation.adReferral.headline}}` and so on.
   */
  adReferral: AdReferral.nullable().optional(),
  /**
   * The Chatwoot inbox it is in, by its name there ("Website", "WhatsApp Support"); null for the
   * companion's own channels, and for a Chatwoot conversation until a sync names its inbox.
   */
  inboxName: z.string().nullable().optional(),
  /**
   * Where the customer writes, in one word (lib/contracts/conversation-channels.ts): a Chatwoot
   * inbox's channel (whatsapp, web, email, sms, telegram, api…), whatsapp or messenger on the
   * companion's own numbers and Pages, `inbox` in the built-in inbox; null: not known yet.
   */
  channelType: z.string().nullable().optional(),
});
export type Conversation = z.infer<typeof Conversation>;
export const ConversationWithContact = Conversation.extend({ contact: Contact });
/** A workflow's Ask a Question waits on the customer here: their next message goes to it. */
export const AwaitingAnswer = z.object({
  runId: Id, workflowId: Id, workflowName: z.string(),
  /** The shortcut an agent launched the run from, as the menu named it (its label may differ from the workflow's name); null otherwise. */
  shortcutName: z.string().nullable().optional(),
  until: Timestamp,
});
export type AwaitingAnswer = z.infer<typeof AwaitingAnswer>;
/** `GET /conversations/:id/awaiting-answer`: just that, for a view that looks often (the Chatwoot Dashboard App). */
export const AwaitingAnswerState = z.object({
  awaitingAnswer: AwaitingAnswer.nullable(),
  /**
   * Every question waiting here, the one asked last (`awaitingAnswer`) first, as on
   * `GET /conversations/:id`: a tapped or quoted reply may still answer the others, and each can
   * be taken over on its own (`runId`). Absent from a server before it.
   */
  awaitingAnswers: z.array(AwaitingAnswer).optional(),
});
export type AwaitingAnswerState = z.infer<typeof AwaitingAnswerState>;
/** `POST /conversations/:id/awaiting-answer/take-over`: the agent answers; `runId` is the workflow's run they were told of. */
export const TakeOverBody = z.object({ runId: Id.optional() }).strict();
/**
 * The run stopped (null: none waited any more), the runs of its workflow for this contact that
 * were queued behind it and were cancelled with it (they would have asked again), and what waits
 * now (another workflow's question, if any).
 */
export const TakeOverResult = AwaitingAnswerState.extend({
  stoppedRunId: Id.nullable(), cancelledRunIds: z.array(Id).default([]),
  /**
   * The agent who takes over gets the conversation (Chatwoot's bot handoff): `assigned` to them now,
   * `yours` already, `kept`: it stays with `assigneeId`, who had it; `failed`: the inbox it lives in
   * (Chatwoot) did not take the assignment (`message` says why); the take over itself stands.
   */
  assignment: z.object({
    outcome: z.enum(['assigned', 'yours', 'kept', 'failed']), assigneeId: Id.nullable(), message: z.string().optional(),
  }).optional(),
});
export type TakeOverBody = z.infer<typeof TakeOverBody>;
export type TakeOverResult = z.infer<typeof TakeOverResult>;
/** One of the contact's earlier conversations, with its messages, as `GET /conversations/:id?history=true` gives it. */
export const EarlierConversation = Conversation.pick({
  id: true, status: true, openedBySource: true, closedBySource: true, closeReason: true, category: true, summary: true, openedAt: true, closedAt: true,
}).extend({
  messages: z.array(Message),
  // The one where HISTORY_MESSAGES ran out keeps its latest messages; a reader pages back from there.
  olderMessagesCursor: z.string().nullable().optional()
    .describe('Its older messages were left out: pass this as `cursor` to `GET /conversations/{this id}/messages` for them. Null: `messages` is its whole thread'),
});
export type EarlierConversation = z.infer<typeof EarlierConversation>;
/**
 * The contact's history before a conversation: the conversations opened before it (oldest
 * first; each open→close period of a contact is a conversation of its own) with their messages,
 * at most the latest HISTORY_MESSAGES of them; `truncated` says older ones were left out. A reader
 * goes further back with the oldest one's `olderMessagesCursor`, then that conversation's own
 * `?history=true` (what came before it).
 */
export const ConversationHistory = z.object({ conversations: z.array(EarlierConversation), truncated: z.boolean() });
export type ConversationHistory = z.infer<typeof ConversationHistory>;
export const HISTORY_MESSAGES = 200;
export const HISTORY_CONVERSATIONS = 20;
/**
 * The inbox a conversation lives in when it is not the companion's own (a connected Chatwoot
 * account): replies, notes, close, reopen and assignment made here act there. `url` opens it in
 * that inbox's dashboard.
 */
export const ConversationInbox = z.object({
  kind: z.literal('chatwoot'),
  /** The Chatwoot inbox's name ("Website", "WhatsApp Support"); the account's until a sync names the inbox. */
  name: z.string(),
  /** The connected account's name (Settings → Chatwoot). */
  account: z.string().optional(),
  /** The Chatwoot inbox's id, and its channel in one word (whatsapp, web, email…), when known. */
  inboxId: z.string().nullable().optional(),
  channel: z.string().nullable().optional(),
  /** The account was disconnected: nothing done here reaches Chatwoot until it is connected again. */
  disconnected: z.boolean().optional(),
  /**
   * Chatwoot deleted it (a sync closed it here as `deleted_in_chatwoot`): a reply, Reopen, Assign
   * and Close are refused (409) and a note is kept here, its only copy.
   */
  deleted: z.boolean().optional(),
  /** The conversation's number there. */
  externalId: z.string(),
  url: z.string(),
});
export type ConversationInbox = z.infer<typeof ConversationInbox>;
/**
 * How many of its latest messages `GET /conversations/:id` carries: the first page of
 * `GET /conversations/:id/messages`. Bounded, so that opening a thread of thousands of messages
 * costs what a short one does (Chatwoot's conversation read carries none; its client pages them).
 */
export const DETAIL_MESSAGES = 50;
export const ConversationDetail = ConversationWithContact.extend({
  messages: z.array(Message).describe(`The latest ${DETAIL_MESSAGES} messages, oldest first (the first page of \`GET /conversations/{id}/messages\`); \`olderMessagesCursor\` says whether there are older ones`),
  /** Absent from a server before the bound, whose `messages` was the whole thread. */
  olderMessagesCursor: z.string().nullable().optional()
    .describe('The conversation has messages older than `messages`: pass this as `cursor` to `GET /conversations/{id}/messages` for the page before them. Null: `messages` is the whole thread'),
  /** For a conversation on a WhatsApp/Messenger channel: whether a free-form message may be sent now. */
  channel: ChannelWindow.nullable().optional(),
  awaitingAnswer: AwaitingAnswer.nullable().optional(),
  /**
   * Every workflow's question waiting here, the one asked last (`awaitingAnswer`) first: closing
   * stops them all (what the inbox's Close dialog names). Empty when none waits or it is closed.
   */
  awaitingAnswers: z.array(AwaitingAnswer).optional(),
  /** For a conversation that lives in Chatwoot: which account, and its link there. */
  inbox: ConversationInbox.nullable().optional(),
  /**
   * The contact's open conversation now: this one while it is open; for a closed one, the one
   * where the conversation goes on (a customer wrote again, someone reopened it), or null.
   */
  contactOpenConversationId: Id.nullable().optional(),
  /** Only with `?history=true`: what came before (see ConversationHistory). */
  history: ConversationHistory.optional(),
});
export const ConversationDetailQuery = listQuery({
  history: z.enum(['true', 'false']).optional().describe(`\`true\`: also the contact's earlier conversations and their latest messages (\`history\`: at most ${HISTORY_MESSAGES} messages from ${HISTORY_CONVERSATIONS} conversations)`),
}, 'this route');
/**
 * `POST /conversations/:id/messages` answers the message as stored. A customer's message
 * (`direction: incoming`) on a closed conversation goes to the contact's open conversation,
 * opened by it (source `contact`, Conversation Opened fires) when none is: `conversationId`
 * names where it went, `closedConversationId` the closed one the request named, and
 * `openedConversation` whether this message opened it.
 */
export const PostedMessage = Message.extend({
  closedConversationId: Id.optional(),
  openedConversation: z.boolean().optional(),
});
export type PostedMessage = z.infer<typeof PostedMessage>;
/**
 * The latest message of a conversation (a customer's, a reply or a note), as the list previews it.
 * One reopened (`POST /conversations`) shows the contact's previous conversation's until something
 * is written in it, as Chatwoot's reopened conversation keeps its last message.
 */
// `delivery`: a reply that failed says so in the list, not only in its thread.
export const LastMessage = Message.pick({ id: true, direction: true, kind: true, author: true, text: true, createdAt: true, delivery: true });
export type LastMessage = z.infer<typeof LastMessage>;
/**
 * The message a search (`q`) found in a conversation, as Chatwoot's Messages tab and respond.io's
 * message search show it: `snippet` is plain text around the match (never HTML), cut with "…".
 */
export const SearchMatch = z.object({ messageId: Id, kind: z.enum(['message', 'comment']), createdAt: Timestamp, snippet: z.string() });
export type SearchMatch = z.infer<typeof SearchMatch>;
/** Chatwoot counts a conversation's unread messages up to 10 (its card shows "9+"); so does the list. */
export const UNREAD_COUNT_CAP = 10;
/** A search reads at most this many matching messages for its count (ConversationList.totalIsLowerBound). */
export const SEARCH_COUNT_CAP = 5_000;
/**
 * A row of GET /conversations: `lastActivityAt` is its latest message's time, else when it was
 * opened (what the list is ordered by); `lastMessage` that message (null: none yet).
 */
export const ConversationListItem = ConversationWithContact.extend({
  lastActivityAt: Timestamp, lastMessage: LastMessage.nullable(),
  unread: z.number().int().min(0).max(UNREAD_COUNT_CAP).optional()
    .describe(`For a signed-in user: the customer's messages that arrived since you last looked at it (\`POST /conversations/{id}/seen\`, which the inbox sends while it shows the conversation), counted up to ${UNREAD_COUNT_CAP} (${UNREAD_COUNT_CAP}: that many or more), as Chatwoot's unread count. Messages from before your account was made, or before this server kept it, count as seen. Absent for an API key`),
  inboxKind: z.enum(['chatwoot']).nullable().optional()
    .describe('The inbox it lives in when not the companion\'s own (as `inbox.kind` of GET /conversations/{id}): `chatwoot`; null: the built-in inbox or a WhatsApp number or Page of the companion\'s. `channelType` says where the customer writes'),
  match: SearchMatch.optional()
    .describe('With `q`: the latest message or note whose text holds it (absent when only the contact matched)'),
});
export type ConversationListItem = z.infer<typeof ConversationListItem>;
/** `POST /conversations/:id/seen`: the signed-in user has looked at it up to `seenAt` (the server's time, never moved back). */
export const ConversationSeen = z.object({ conversationId: Id, seenAt: Timestamp });
export type ConversationSeen = z.infer<typeof ConversationSeen>;
/** Its body: none (or `{}`); the time is the server's. */
export const SeenBody = z.strictObject({}, unknownKeys('it takes no body: the server records the time it is called'));
/**
 * GET /conversations: a page, newest activity first. `nextCursor` is passed back as `cursor` for
 * the next page (null: no more); `total` counts every conversation the filters match, not the page.
 */
export const ConversationList = z.object({
  conversations: z.array(ConversationListItem),
  nextCursor: z.string().nullable(),
  total: z.number().int().min(0),
  totalIsLowerBound: z.boolean().optional()
    .describe(`true: \`total\` is at least how many match, not all of them. A search (\`q\`) whose text is in more than ${SEARCH_COUNT_CAP} messages counts only the conversations of the first ${SEARCH_COUNT_CAP} it reads (the inbox shows "N+"), as Chatwoot's search, which gives no total. The pages still hold every match. False or absent: \`total\` is exact`),
});
export type ConversationList = z.infer<typeof ConversationList>;

/**
 * Where a page of conversations ends: the last row's activity time and id (rows with the same time
 * go by id, newest first). Written `<lastActivityAt>~<id>`; clients pass `nextCursor` back as is.
 */
export type ConversationCursor = TimeIdCursor;
export const { encode: encodeConversationCursor, decode: decodeConversationCursor } = timeIdCursor('cnv_[0-9A-Za-z]{1,60}');

/** What `assigneeId` takes besides a user's id. */
export const ASSIGNEE_ME = 'me';
export const ASSIGNEE_NONE = 'none';
export const ASSIGNEE_FILTER_HINT = 'Give me (your own), none (unassigned) or a user\'s id (GET /teammates)';

/** The list's channel filter: the channels its rows' badges say (a Chatwoot conversation's says Chatwoot). */
export const LIST_CHANNELS = ['whatsapp', 'messenger', 'inbox', 'chatwoot'] as const;
export type ListChannel = (typeof LIST_CHANNELS)[number];
export const CHANNEL_FILTER_HINT = `Give channel as one of ${LIST_CHANNELS.join(', ')} (inbox: the built-in inbox), or leave it out for every channel`;
export const UNREAD_FILTER_HINT = 'Give unread=true (only conversations with messages you have not seen), or leave it out';

const conversationQueryShape = {
  status: z.enum(['open', 'closed']).optional(),
  /** Chatwoot's Mine / Unassigned views: `me`, `none`, or a user's id. */
  assigneeId: z.string().min(1, ASSIGNEE_FILTER_HINT).max(64, ASSIGNEE_FILTER_HINT).optional()
    .describe('`me`: assigned to you; `none`: unassigned; a user\'s id: assigned to them. Left out: anyone\'s'),
  contactId: z.string().max(64).optional(),
  /** Part of the contact's name ("Maria Garcia"), phone ("600 111", spaces ignored) or email, or of a message's or note's text; any case. */
  q: z.string().trim().max(100).optional()
    .describe('Part of the contact\'s name, phone or email, or (3 characters or more) of the text of one of the conversation\'s messages or notes (any case; % and _ are plain characters). A row found by a message says which in `match`'),
  unread: z.enum(['true', 'false'], { error: UNREAD_FILTER_HINT }).optional()
    .describe('`true`: only conversations with customer messages you (the signed-in user) have not seen. Not for an API key'),
  channel: z.enum(LIST_CHANNELS, { error: CHANNEL_FILTER_HINT }).optional()
    .describe('Only conversations shown with that channel: `whatsapp` / `messenger` (the companion\'s own numbers and Pages), `inbox` (the built-in inbox), `chatwoot` (a Chatwoot account\'s, whatever its channel there)'),
  limit: pageLimit(100),
  cursor: decodedCursor(decodeConversationCursor).optional(),
  /**
   * Sync (respond.io / Chatwoot clients poll for changes): only the conversations whose last
   * activity (`lastActivityAt`: a message, else opened) or closing (`closedAt`) is at or after it.
   * An assignment alone is not a change here: no time of it is kept.
   */
  updatedSince: TimeBound.optional()
    .describe('ISO 8601 (a date-time with its offset, or a date: from 00:00 UTC): only conversations with a message, opened or closed at or after it. Poll with the time your last sync started'),
};
// Strict: a parameter the list does not know (`assignee=`, `unassigned=1`) is a 422 naming the
// ones it takes, not a list that silently ignored it (list-query.ts, as every list).
export const ConversationQuery = listQuery(conversationQueryShape);
export type ConversationQuery = z.infer<typeof ConversationQuery>;

// `source` is what an API caller states (Zapier, Make, a script); left out, a user's token
// records `user` and an app key `api`. No default here, or a stated "api" could not be told apart.
export const OpenConversationBody = z.object({
  contactId: Id,
  source: z.enum(API_SOURCES).optional(),
});
export const CloseConversationBody = z.object({
  category: z.string().trim().min(1).max(100).optional(),
  summary: z.string().trim().max(2000).optional(),
  source: z.enum(API_SOURCES).optional(),
});
/**
 * `text`, or on a WhatsApp conversation `template`: an approved template with the Send message
 * step's values (WhatsAppTemplateRef), sent as given (a `{{…}}` in them is not filled in), the
 * reply once the 24-hour window has closed.
 */
// Strict: a key dropped would send what was not meant, e.g. Chatwoot's `"private": true` went to
// the customer as a reply instead of staying a note.
export const MessageBody = z.strictObject({
  // The count in the refusal: "Too big: expected string to have <=4096 characters" told an agent nothing.
  // Characters as Meta counts them, an emoji one (choice-limits.ts), under a bound in code points
  // (zod's max) that no text of 4,096 such characters reaches but a flood of combining marks does.
  text: z.string().trim().min(1, 'A message cannot be empty')
    .max(MESSAGE_MAX * 4, { error: (iss) => replyTooLong('message', typeof iss.input === 'string' ? metaLength(iss.input) : MESSAGE_MAX + 1) ?? `This message is too long to store (its marks and accents count too, at most ${(MESSAGE_MAX * 4).toLocaleString('en-US')} code points): shorten it` })
    .refine((t) => metaLength(t) <= MESSAGE_MAX, { error: (iss) => replyTooLong('message', typeof iss.input === 'string' ? metaLength(iss.input) : MESSAGE_MAX + 1) ?? 'Too long' }).optional(),
  template: WhatsAppTemplateRef.optional(),
  direction: z.enum(['incoming', 'outgoing']).default('outgoing'),
  kind: z.enum(['message', 'comment']).default('message'),
}, unknownKeys('a message takes text, template, direction, kind (a private note is "kind": "comment")')).superRefine((b, ctx) => {
  if (b.template === undefined) {
    if (b.text === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'A message cannot be empty' });
    return;
  }
  if (b.text !== undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'Send text or a template, not both' });
  if (b.direction !== 'outgoing' || b.kind !== 'message') ctx.addIssue({ code: 'custom', path: ['template'], message: 'A template is a reply to the customer: leave direction and kind out' });
});
export const AssignBody = z.object({ userId: Id.nullable() });
export const ClosingCategories = z.object({
  categories: z.array(z.string().trim().min(1).max(100)).max(100)
    .refine((c) => new Set(c).size === c.length, 'Categories must be unique'),
});
