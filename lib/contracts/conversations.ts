import { z } from 'zod';
import { Id, Timestamp } from './common';
import { Contact } from './contacts';
import { Attachment, ChannelWindow, MessageDelivery } from './channels';

export const OPENED_BY = ['user', 'workflow', 'contact', 'api', 'zapier', 'make', 'click_to_chat_ads'] as const;
export const CLOSED_BY = ['user', 'workflow', 'bot', 'api', 'zapier', 'make'] as const;
/** What an API caller may state as the source of its change. */
export const API_SOURCES = ['api', 'zapier', 'make'] as const;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  direction: z.enum(['incoming', 'outgoing']),
  kind: z.enum(['message', 'comment']),
  author: z.object({ type: z.enum(['contact', 'user', 'workflow']), id: z.string().nullable() }),
  text: z.string(),
  createdAt: Timestamp,
  /** Set when the message went through a channel (WhatsApp, Messenger): Meta's id and delivery status. */
  delivery: MessageDelivery.optional(),
  /** Media received or sent through a channel (caption and reference kept). */
  attachments: z.array(Attachment).optional(),
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
});
export type Conversation = z.infer<typeof Conversation>;
export const ConversationWithContact = Conversation.extend({ contact: Contact });
/** A workflow's Ask a Question waits on the customer here: their next message goes to it. */
export const AwaitingAnswer = z.object({ runId: Id, workflowId: Id, workflowName: z.string(), until: Timestamp });
export type AwaitingAnswer = z.infer<typeof AwaitingAnswer>;
/** `GET /conversations/:id/awaiting-answer`: just that, for a view that looks often (the Chatwoot Dashboard App). */
export const AwaitingAnswerState = z.object({ awaitingAnswer: AwaitingAnswer.nullable() });
/** `POST /conversations/:id/awaiting-answer/take-over`: the agent answers; `runId` is the workflow's run they were told of. */
export const TakeOverBody = z.object({ runId: Id.optional() }).strict();
/** The run stopped (null: none waited any more), and what waits now (another workflow's question, if any). */
export const TakeOverResult = AwaitingAnswerState.extend({ stoppedRunId: Id.nullable() });
export type TakeOverBody = z.infer<typeof TakeOverBody>;
export type TakeOverResult = z.infer<typeof TakeOverResult>;
export const ConversationDetail = ConversationWithContact.extend({
  messages: z.array(Message),
  /** For a conversation on a WhatsApp/Messenger channel: whether a free-form message may be sent now. */
  channel: ChannelWindow.nullable().optional(),
  awaitingAnswer: AwaitingAnswer.nullable().optional(),
});
export const ConversationList = z.object({ conversations: z.array(ConversationWithContact) });
export const ConversationQuery = z.object({
  status: z.enum(['open', 'closed']).optional(),
  contactId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

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
export const MessageBody = z.object({
  text: z.string().trim().min(1, 'A message cannot be empty').max(4096),
  direction: z.enum(['incoming', 'outgoing']).default('outgoing'),
  kind: z.enum(['message', 'comment']).default('message'),
});
export const AssignBody = z.object({ userId: Id.nullable() });
export const ClosingCategories = z.object({
  categories: z.array(z.string().trim().min(1).max(100)).max(100)
    .refine((c) => new Set(c).size === c.length, 'Categories must be unique'),
});
