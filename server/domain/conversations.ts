import type { Attachment, MessageDelivery } from '../../lib/contracts/channels';
import type { Conversation, Message } from '../../lib/contracts/conversations';
import type { MessageData } from '../../lib/contracts/message-data';
import type { AdReferral } from '../../lib/contracts/ad-referral';
import type { UnitOfWork } from '../events/unit-of-work';
import type { Services } from '../services';
import { conflict, notFound } from '../http-error';
import { newId, nowIso } from '../ids';
import { sql } from 'kysely';
import { insertOne } from '../store/compiled-sql';
import { isPostgres, isUniqueViolation, toJson, type Executor } from '../store/database';
import type { ConversationsTable, MessagesTable } from '../store/schema';
import { closingCategoriesIn, unknownCategory } from './closing-categories';
import { contactIn, type Cause } from './contacts';
import { conversationHoldingContact } from './conversation-lock-order';
import { routeReplyToWaitingRun, waitingCutoff } from './question-replies';
import { endQuestionsOnClose, holdQuestionsBeforeClose } from './closing-questions';
import { writeStepLine } from './activity';
import { closedText, lineAuthor, type ChangedBy } from './change-lines';
import { channelOnOpen, channelTypeOf, placeColumns, type ConversationPlace } from './conversation-place';
import { toConversation, toMessage } from './conversation-rows';
import { threadKey } from './message-page';
import { threadPlace } from './thread-place';
import {
  BUILT_IN, channelOf, conversationIn, conversationWritten, getConversation, openConversationIn, publishChanged, remember,
} from './conversation-reads';

// A conversation's life: opened, written to, closed. Reading it (and a run round's copies of it)
// is conversation-reads.ts, its rows' shapes conversation-rows.ts, its assignee conversation-assignment.ts;
// re-exported here, where callers have always found them.
export { toConversation, toMessage } from './conversation-rows';
export {
  BUILT_IN, channelOf, conversationWritten, findOpenConversation, getConversation, openConversationIn, prefetchOpenConversations,
} from './conversation-reads';
export { assignConversation, checkAssignee } from './conversation-assignment';

/**
 * Who writes a message; a workflow or a mini-app (a reply or note posted with its API key) names
 * itself (`name`: its name, stored with the message).
 */
export interface MessageAuthor { type: 'contact' | 'user' | 'workflow' | 'app'; id: string | null; name?: string | null }

/** A message that goes through or came from a channel connection (WhatsApp, Messenger). */
export interface ChannelMessageFields {
  connectionId: string;
  externalId?: string | null;
  /** Outgoing: the send's idempotency key, stored before the outside call. */
  sendKey?: string | null;
  deliveryStatus?: MessageDelivery['status'] | null;
  attachments?: Attachment[];
  /** Inbound: when the customer sent it (Meta's clock), which starts the 24-hour window; stored as sent_at. */
  sentAt?: string | null;
  /** Inbound, not stored: what the customer's app says it replies to (InboundMessage), for Ask a Question. */
  inReplyTo?: string;
  payload?: string;
}

/**
 * Opens a conversation for the contact; 409 if one is already open (one open per contact).
 * `on`: the connection (a WhatsApp number, a Page) it lives on from the start, as `$trigger.channel` says,
 * and the ad the customer came from when one opened it (`$conversation.adReferral`).
 */
export async function openConversation(
  uow: UnitOfWork, services: Services, contactId: string, cause: Cause, firstIncomingMessage: string | null = null,
  on?: { connectionId: string; externalId: string | null; adReferral?: AdReferral | null; place?: ConversationPlace; openedAt?: string },
): Promise<Conversation> {
  // A run round has both already (its reads): looked up there first.
  if (!await contactIn(uow, contactId)) throw notFound(`Contact ${contactId}`);
  if (await openConversationIn(uow, contactId)) throw conflict('This contact already has an open conversation');
  const kind = on ? await channelOf(uow.trx, on) : BUILT_IN;
  const row: ConversationsTable = {
    id: newId('cnv'), contact_id: contactId, status: 'open', opened_by_source: cause.source, closed_by_source: null, close_reason: null,
    // `openedAt`: when a conversation imported from an inbox (Chatwoot) really opened there.
    category: null, summary: null, assignee_id: null, opened_at: on?.openedAt ?? nowIso(), closed_at: null, first_incoming_message: firstIncomingMessage,
    first_response_at: null, ...(on ? { connection_id: on.connectionId, external_id: on.externalId } : {}),
    ...(on?.adReferral ? { ad_referral: toJson(on.adReferral) } : {}),
    ...(on ? placeColumns({ inboxId: on.place?.inboxId ?? null, inboxName: on.place?.inboxName ?? null, channel: channelOnOpen(kind, on.place) }) : {}),
  };
  try {
    await uow.trx.insertInto('conversations').values(row).execute();
    remember(uow, contactId, row.id, toConversation(row));
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('This contact already has an open conversation');
    throw err;
  }
  await services.events.record(uow, {
    type: 'conversation.opened',
    payload: {
      contactId, conversationId: row.id, firstIncomingMessage, assigneeId: null, channel: kind, by: cause.by ?? null,
      inboxName: row.inbox_name ?? null, channelType: channelTypeOf(row),
    },
  }, cause);
  publishChanged(uow, services, { id: row.id, contactId });
  return toConversation(row);
}

/**
 * Closes an open conversation. A close with reason "merge" (contacts merged) or "superseded" (a
 * connected inbox such as Chatwoot opened another conversation of the contact) triggers nothing,
 * nor does "deleted_in_chatwoot" (it was deleted there: bookkeeping, not an outcome).
 */
export async function closeConversation(
  uow: UnitOfWork, services: Services, id: string,
  input: { category?: string | null; summary?: string | null; reason?: 'merge' | 'superseded' | 'deleted_in_chatwoot' | null }, cause: Cause,
  /**
   * A workflow's Close step, or a person closing here (the inbox, the API): the thread says so
   * (Chatwoot's "Conversation was marked resolved by …", change-lines.ts).
   */
  by?: ChangedBy,
): Promise<Conversation> {
  const current = conversationIn(uow, id) ?? await getConversation(uow.trx, id);
  if (current.status !== 'open') throw conflict('This conversation is already closed');
  if (input.category) {
    const unknown = unknownCategory(input.category, await closingCategoriesIn(uow));
    if (unknown) throw unknown;
  }
  const closedAt = nowIso();
  const closing = {
    status: 'closed' as const, closed_by_source: cause.source, close_reason: input.reason ?? null, category: input.category ?? null,
    summary: input.summary ?? null, closed_at: closedAt,
  };
  // PostgreSQL outside a run round: the contact, then the questions waiting here, are held first (closing-questions.ts).
  const held = !uow.reads && isPostgres(uow.trx) && await holdQuestionsBeforeClose(uow.trx, id);
  // Still open when written (`current` may be a run round's copy): closed once, one event.
  // `waiting`: a workflow's question waits here unanswered (read with the write: a round's Close step costs no statement more).
  const written = await uow.trx.updateTable('conversations').set(closing).where('id', '=', id).where('status', '=', 'open')
    .returning(sql<number>`CASE WHEN EXISTS (SELECT 1 FROM question_waits q WHERE q.conversation_id = conversations.id AND q.answer IS NULL AND q.unsent = 0 AND q.expires_at > ${waitingCutoff()}) THEN 1 ELSE 0 END`.as('waiting'))
    .execute();
  if (written.length !== 1) {
    conversationWritten(uow);
    throw conflict('This conversation is already closed');
  }
  remember(uow, current.contactId, id, null);
  // The workflows waiting here for the customer's answer end with it (closing-questions.ts).
  // One close line, with or without a question stopped: "Conversation was closed by Ava (Sale)",
  // a stopped question's line going on from it (": shortcut … stopped waiting …"), category kept.
  const said = by && { text: closedText(by, input.category), author: lineAuthor(by) };
  const stopped = held || Number(written[0]!.waiting) === 1 ? await endQuestionsOnClose(uow, services, current, input.reason ?? null, cause, said) : [];
  if (said && stopped.length === 0) await writeStepLine(uow, { conversationId: id, contactId: current.contactId, ...said });
  const seconds = (a: string, b: string) => Math.max(0, Math.round((Date.parse(b) - Date.parse(a)) / 1000));
  await services.events.record(uow, {
    type: 'conversation.closed',
    payload: {
      contactId: current.contactId, conversationId: id, category: input.category ?? null, summary: input.summary ?? null,
      reason: input.reason ?? null, resolutionTimeSeconds: seconds(current.openedAt, closedAt),
      firstResponseTimeSeconds: current.firstResponseAt ? seconds(current.openedAt, current.firstResponseAt) : null,
      assigneeId: current.assigneeId, channel: await channelOf(uow.trx, current), by: cause.by ?? null,
      inboxName: current.inboxName ?? null, channelType: current.channelType ?? null,
    },
  }, cause);
  publishChanged(uow, services, current);
  // As written: not read back.
  return { ...current, status: 'closed', closedBySource: closing.closed_by_source, closeReason: closing.close_reason, category: closing.category, summary: closing.summary, closedAt };
}

export async function addMessage(
  uow: UnitOfWork, services: Services, conversationId: string,
  input: {
    text: string; direction: 'incoming' | 'outgoing'; kind: 'message' | 'comment'; author: MessageAuthor; channel?: ChannelMessageFields;
    data?: MessageData;
    /**
     * A customer's message that is not their turn (a reaction, a placeholder for content the
     * channel did not pass on): shown as theirs, but it answers no question a workflow asks and
     * is not the conversation's first incoming message.
     */
    aside?: boolean;
    /** A message stored here only (built-in, a note): its Idempotency-Key (reply-key.ts), unique like a send's. */
    sendKey?: string;
    /**
     * When it was written in the inbox it comes from (Chatwoot's own time: chatwoot/message-time.ts),
     * which the thread and the list order by; left out, when it arrived here.
     */
    at?: string;
  },
  cause: Cause,
): Promise<Message> {
  const conversation = conversationIn(uow, conversationId) ?? await conversationForMessage(uow, conversationId);
  const ch = input.channel;
  // When it arrived, whatever Meta's clock says (sent_at): the inbox lists by it (migration 077).
  // A connected inbox's message keeps that inbox's time: the thread is the same there and here.
  const createdAt = input.at ?? nowIso();
  // Meta delivered it out of order or late: where the customer sent it, within limits (thread-place.ts).
  const threadAt = ch?.sentAt && input.direction === 'incoming' ? await threadPlace(uow.trx, conversationId, ch.sentAt, createdAt) : null;
  const row: MessagesTable = {
    id: newId('msg'), conversation_id: conversationId, direction: input.direction, kind: input.kind,
    author_type: input.author.type, author_id: input.author.id, text: input.text, created_at: createdAt,
    // Only a workflow's or an app's message names its author here (users are named by the reader, contacts are the conversation's).
    ...((input.author.type === 'workflow' || input.author.type === 'app') && input.author.name ? { author_name: input.author.name.slice(0, 200) } : {}),
    ...(ch ? {
      connection_id: ch.connectionId, external_id: ch.externalId ?? null, send_key: ch.sendKey ?? null,
      delivery_status: ch.deliveryStatus ?? null, delivery_updated_at: ch.deliveryStatus ? nowIso() : null,
      attachments: ch.attachments?.length ? toJson(ch.attachments) : null,
      ...(ch.sentAt ? { sent_at: ch.sentAt } : {}),
    } : {}),
    ...(threadAt ? { thread_at: threadAt } : {}),
    ...(input.data ? { data: toJson(input.data) } : {}),
    ...(input.sendKey ? { send_key: input.sendKey } : {}),
  };
  // In a run round, sent with the round's next statement (DEFERRED): nothing reads its result,
  // and a comment or message step then costs no round trip of its own on PostgreSQL. Not a
  // channel message: its unique send key must fail here, where the caller can tell.
  await insertOne(uow.trx, 'messages', row, { deferred: !!uow.reads && !ch && !input.sendKey });
  // A reply to a question a run is waiting on goes to that run first (Ask a Question).
  const turn = input.kind === 'message' && input.direction === 'incoming' && !input.aside;
  if (turn) await routeReplyToWaitingRun(uow, services, conversationId, row.id, input.text, ch, input.at ? { at: input.at, settle: true } : ch?.sentAt ? { at: ch.sentAt, settle: false } : undefined);
  // The first response is a person's reply: a workflow's or an app's message is not one, as
  // Chatwoot's Message#human_response? (sender a User, no automation rule, no campaign) decides
  // its first_reply_created_at: https://github.com/chatwoot/chatwoot/blob/develop/app/models/message.rb
  if (input.kind === 'message' && input.direction === 'outgoing' && input.author.type === 'user' && !conversation.firstResponseAt && conversation.status === 'open') {
    // Only if still unset: the conversation may have been read earlier in a run round.
    const set = await uow.trx.updateTable('conversations').set({ first_response_at: row.created_at }).where('id', '=', conversationId).where('first_response_at', 'is', null).executeTakeFirst();
    remember(uow, conversation.contactId, conversationId, set.numUpdatedRows === 1n ? { ...conversation, firstResponseAt: row.created_at } : undefined);
  }
  if (turn && !conversation.firstIncomingMessage) {
    const set = await uow.trx.updateTable('conversations').set({ first_incoming_message: input.text }).where('id', '=', conversationId).where('first_incoming_message', 'is', null).executeTakeFirst();
    remember(uow, conversation.contactId, conversationId, set.numUpdatedRows === 1n ? { ...conversation, firstIncomingMessage: input.text } : undefined);
  }
  await services.events.record(uow, {
    type: 'message.created',
    payload: { contactId: conversation.contactId, conversationId, messageId: row.id, direction: row.direction, kind: row.kind },
  }, cause);
  publishChanged(uow, services, conversation);
  return toMessage(row);
}

/** Outside a run round on PostgreSQL, read holding its contact first (conversation-lock-order.ts). */
async function conversationForMessage(uow: UnitOfWork, id: string): Promise<Conversation> {
  if (uow.reads || !isPostgres(uow.trx)) return getConversation(uow.trx, id);
  const row = await conversationHoldingContact(uow.trx, id);
  if (!row) throw notFound(`Conversation ${id}`);
  return toConversation(row);
}

/**
 * The thread in the order things happened: by created_at (ids are made at the same moment), which
 * also places a run's activity line, replaced in place under its id, where its latest state was
 * written (domain/activity.ts), unless placed elsewhere (thread_at: message-page.ts threadKey).
 */
export async function listMessages(db: Executor, conversationId: string): Promise<Message[]> {
  const rows = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy(threadKey()).orderBy('id').execute();
  return rows.map(toMessage);
}
