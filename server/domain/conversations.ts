import type { Attachment, MessageDelivery } from '../../lib/contracts/channels';
import type { Conversation, Message } from '../../lib/contracts/conversations';
import { MessageData } from '../../lib/contracts/message-data';
import { AdReferral } from '../../lib/contracts/ad-referral';
import type { UnitOfWork } from '../events/unit-of-work';
import type { Services } from '../services';
import { conflict, HttpError, notFound } from '../http-error';
import { newId, nowIso } from '../ids';
import { sql } from 'kysely';
import { insertOne, runShaped } from '../store/compiled-sql';
import { fromJson, isPostgres, isUniqueViolation, toJson, type Executor } from '../store/database';
import type { ConversationsTable, MessagesTable } from '../store/schema';
import { explainMetaError } from '../channels/meta-advice';
import { closingCategoriesIn, unknownCategory } from './closing-categories';
import { contactIn, getContact, type Cause } from './contacts';
import { conversationHoldingContact } from './conversation-lock-order';
import { routeReplyToWaitingRun } from './question-replies';
import { endQuestionsOnClose, holdQuestionsBeforeClose } from './closing-questions';
import { workflowNamed, writeStepLine } from './activity';
import { channelOnOpen, channelTypeOf, placeColumns, type ConversationPlace } from './conversation-place';

export const toConversation = (r: ConversationsTable): Conversation => ({
  id: r.id, contactId: r.contact_id, status: r.status as Conversation['status'], openedBySource: r.opened_by_source,
  closedBySource: r.closed_by_source, closeReason: r.close_reason, category: r.category, summary: r.summary,
  assigneeId: r.assignee_id, openedAt: r.opened_at, closedAt: r.closed_at, firstIncomingMessage: r.first_incoming_message,
  firstResponseAt: r.first_response_at, connectionId: r.connection_id ?? null, externalId: r.external_id ?? null,
  inboxName: r.inbox_name ?? null, channelType: channelTypeOf(r),
  adReferral: adReferralOf(r.ad_referral),
});

/** A stored referral that no longer reads as the contract says is left out (null), not a 500. */
function adReferralOf(raw: string | null | undefined): AdReferral | null {
  if (!raw) return null;
  const parsed = AdReferral.safeParse(fromJson<unknown>(raw, null));
  return parsed.success ? parsed.data : null;
}

export const toMessage = (r: MessagesTable): Message => ({
  id: r.id, conversationId: r.conversation_id, direction: r.direction as Message['direction'], kind: r.kind as Message['kind'],
  author: { type: r.author_type as Message['author']['type'], id: r.author_id, ...(r.author_name ? { name: r.author_name } : {}) }, text: r.text, createdAt: r.created_at,
  ...(r.delivery_status ? { delivery: { status: r.delivery_status as MessageDelivery['status'], error: explainMetaError(r.delivery_error ?? null), externalId: r.external_id ?? null, updatedAt: r.delivery_updated_at ?? null } } : {}),
  ...(r.attachments ? { attachments: fromJson<Attachment[]>(r.attachments, []) } : {}),
  ...(r.sent_at ? { sentAt: r.sent_at } : {}),
  ...(r.data ? dataOf(r.data) : {}),
});

/** Stored data that no longer reads as the contract says is left out, not a 500 for the conversation. */
function dataOf(raw: string): { data?: MessageData } {
  const parsed = MessageData.safeParse(fromJson<unknown>(raw, null));
  return parsed.success ? { data: parsed.data } : {};
}

/** Who writes a message; a workflow names itself (`name`: the workflow's name, stored with the message). */
export interface MessageAuthor { type: 'contact' | 'user' | 'workflow'; id: string | null; name?: string | null }
/** The workflow whose step changes a conversation, as its activity line names it. */
export type StepLineAuthor = { type: 'workflow'; id: string; name?: string | null };

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

export async function getConversation(db: Executor, id: string): Promise<Conversation> {
  const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Conversation ${id}`);
  return toConversation(row);
}

export async function findOpenConversation(db: Executor, contactId: string): Promise<Conversation | undefined> {
  // 'open' as a literal: bound, it would make SQLite re-plan the statement on every call (the
  // one-open-per-contact index is partial on it), ~6 µs each.
  const [row] = await runShaped(db, 'openConversationOf', [contactId], () =>
    db.selectFrom('conversations').selectAll().where('contact_id', '=', contactId).where('status', '=', sql.lit('open')));
  return row && toConversation(row);
}

/** findOpenConversation, remembered per contact for the rest of a run round (uow.reads) until a conversation is written. */
export async function openConversationIn(uow: UnitOfWork, contactId: string): Promise<Conversation | undefined> {
  const cache = uow.reads?.openConversations;
  if (!cache) return findOpenConversation(uow.trx, contactId);
  if (cache.has(contactId)) return cache.get(contactId) ?? undefined;
  const found = await findOpenConversation(uow.trx, contactId);
  cache.set(contactId, found ?? null);
  return found;
}

/**
 * A conversation a run round has read already (its contact's open one, uow.reads), or undefined.
 * The round's own writes keep its copies as written (remember) or forget them
 * (conversationWritten), so this is what the round would read again.
 */
function conversationIn(uow: UnitOfWork, id: string): Conversation | undefined {
  for (const c of uow.reads?.openConversations.values() ?? []) if (c?.id === id) return c;
  return undefined;
}

/** The open conversations of many contacts in one statement, remembered for the run round (uow.reads). */
export async function prefetchOpenConversations(uow: UnitOfWork, contactIds: readonly string[]): Promise<void> {
  const cache = uow.reads?.openConversations;
  if (!cache) return;
  const ids = [...new Set(contactIds)].filter((id) => !cache.has(id));
  if (ids.length === 0) return;
  const rows = await runShaped(uow.trx, `openConversationsOf:${ids.length}`, ids, () =>
    uow.trx.selectFrom('conversations').selectAll().where('contact_id', 'in', ids).where('status', '=', sql.lit('open')));
  for (const id of ids) cache.set(id, null);
  for (const row of rows) cache.set(row.contact_id, toConversation(row));
}

/** `$trigger.channel` of a conversation kept here rather than in a connection. */
export const BUILT_IN = 'built_in';

/** Where a conversation lives, as triggers name it: `built_in` or its connection's kind. */
export async function channelOf(db: Executor, c: { connectionId: string | null }): Promise<string> {
  if (!c.connectionId) return BUILT_IN;
  const row = await db.selectFrom('connections').select('kind').where('id', '=', c.connectionId).executeTakeFirst();
  return row?.kind ?? BUILT_IN;
}

/**
 * Call right after writing a conversation through a unit of work (before recording its event:
 * the dispatcher looks the open conversation up too): a run round forgets what it remembered.
 */
export const conversationWritten = (uow: UnitOfWork) => uow.reads?.openConversations.clear();

/**
 * A conversation written through the unit of work, known as it now is: a run round's copy of the
 * contact's open conversation follows it (the conversation, or null once closed: one open per
 * contact) instead of every copy being forgotten, after which each later step of every run of
 * the round read its own again. Undefined (the write found the row changed by someone else):
 * forgets them all, as conversationWritten.
 */
function remember(uow: UnitOfWork, contactId: string, id: string, now: Conversation | null | undefined) {
  const cache = uow.reads?.openConversations;
  if (!cache) return;
  if (now === undefined) cache.clear();
  else if (now === null || now.status !== 'open') { if (cache.get(contactId)?.id === id) cache.set(contactId, null); }
  else cache.set(contactId, now);
}

const changed = (uow: UnitOfWork, services: Services, c: { id: string; contactId: string }) =>
  uow.afterCommit(() => services.live.publish({ type: 'conversation.changed', conversationId: c.id, contactId: c.contactId }));

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
  changed(uow, services, { id: row.id, contactId });
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
  /** A workflow's Close step: the thread says so (Chatwoot's "Conversation was marked resolved by …"). */
  workflow?: StepLineAuthor,
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
    .returning(sql<number>`CASE WHEN EXISTS (SELECT 1 FROM question_waits q WHERE q.conversation_id = conversations.id AND q.answer IS NULL AND q.unsent = 0) THEN 1 ELSE 0 END`.as('waiting'))
    .execute();
  if (written.length !== 1) {
    conversationWritten(uow);
    throw conflict('This conversation is already closed');
  }
  remember(uow, current.contactId, id, null);
  // The workflows waiting here for the customer's answer end with it (closing-questions.ts).
  const stopped = held || Number(written[0]!.waiting) === 1 ? await endQuestionsOnClose(uow, services, current, input.reason ?? null, cause) : [];
  // A stopped question's line says already who closed it ("The conversation was closed by workflow …: …").
  if (workflow && stopped.length === 0) {
    await writeStepLine(uow, {
      conversationId: id, contactId: current.contactId, author: workflow,
      text: `Conversation was closed by ${workflowNamed(workflow.name)}${input.category ? ` (${input.category})` : ''}`,
    });
  }
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
  changed(uow, services, current);
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
  },
  cause: Cause,
): Promise<Message> {
  const conversation = conversationIn(uow, conversationId) ?? await conversationForMessage(uow, conversationId);
  const ch = input.channel;
  // When it arrived, whatever Meta's clock says (sent_at): the inbox lists by it (migration 077).
  const createdAt = nowIso();
  const row: MessagesTable = {
    id: newId('msg'), conversation_id: conversationId, direction: input.direction, kind: input.kind,
    author_type: input.author.type, author_id: input.author.id, text: input.text, created_at: createdAt,
    // Only a workflow's message names its author here (users are named by the reader, contacts are the conversation's).
    ...(input.author.type === 'workflow' && input.author.name ? { author_name: input.author.name.slice(0, 200) } : {}),
    ...(ch ? {
      connection_id: ch.connectionId, external_id: ch.externalId ?? null, send_key: ch.sendKey ?? null,
      delivery_status: ch.deliveryStatus ?? null, delivery_updated_at: ch.deliveryStatus ? nowIso() : null,
      attachments: ch.attachments?.length ? toJson(ch.attachments) : null,
      ...(ch.sentAt ? { sent_at: ch.sentAt } : {}),
    } : {}),
    ...(input.data ? { data: toJson(input.data) } : {}),
    ...(input.sendKey ? { send_key: input.sendKey } : {}),
  };
  // In a run round, sent with the round's next statement (DEFERRED): nothing reads its result,
  // and a comment or message step then costs no round trip of its own on PostgreSQL. Not a
  // channel message: its unique send key must fail here, where the caller can tell.
  await insertOne(uow.trx, 'messages', row, { deferred: !!uow.reads && !ch && !input.sendKey });
  // A reply to a question a run is waiting on goes to that run first (Ask a Question).
  const turn = input.kind === 'message' && input.direction === 'incoming' && !input.aside;
  if (turn) await routeReplyToWaitingRun(uow, services, conversationId, row.id, input.text, ch);
  if (input.kind === 'message' && input.direction === 'outgoing' && !conversation.firstResponseAt && conversation.status === 'open') {
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
  changed(uow, services, conversation);
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
 * `workflow`: a workflow's Assign step: the thread says so, as Chatwoot's "Assigned to Ava by
 * Automation System" (domain/activity.ts); nothing when the conversation was already theirs.
 */
export async function assignConversation(
  uow: UnitOfWork, services: Services, id: string, userId: string | null, cause: Cause, workflow?: StepLineAuthor,
): Promise<Conversation> {
  const current = conversationIn(uow, id) ?? await getConversation(uow.trx, id);
  const assignee = userId ? await assigneeIn(uow, userId) : null;
  if (userId) assertAssignable(userId, assignee);
  if (current.assigneeId === userId) return current;
  // In a run round, sent with the next statement (DEFERRED): nothing reads its result.
  await runShaped(uow.trx, 'conversationAssignee', [userId, id], () => uow.trx.updateTable('conversations').set({ assignee_id: userId }).where('id', '=', id), { deferred: !!uow.reads });
  remember(uow, current.contactId, id, { ...current, assigneeId: userId });
  if (workflow) {
    const by = workflowNamed(workflow.name);
    await writeStepLine(uow, {
      conversationId: id, contactId: current.contactId, author: workflow,
      text: assignee ? `Assigned to ${assignee.name} by ${by}` : `Conversation unassigned by ${by}`,
    });
  }
  await services.events.record(uow, { type: 'conversation.assigned', payload: { contactId: current.contactId, conversationId: id, assigneeId: userId } }, cause);
  changed(uow, services, current);
  return { ...current, assigneeId: userId };
}

function assertAssignable(userId: string, user: { name: string; active: boolean } | null) {
  if (!user) throw new HttpError(422, 'invalid_content', `No user ${userId} to assign to`, [{ path: 'body.userId', message: 'Unknown user' }]);
  // Chatwoot's way with an agent removed from the account: nothing is assigned to them any more.
  if (!user.active) {
    throw new HttpError(422, 'invalid_content', `${user.name} (${userId}) is deactivated and cannot be assigned; assign someone else, or reactivate them under Settings → Users`,
      [{ path: 'body.userId', message: 'Deactivated user' }]);
  }
}

/** What assignConversation checks of the user, before an assignment made elsewhere first (Chatwoot). */
export async function checkAssignee(db: Executor, userId: string) {
  const row = await db.selectFrom('users').select(['name', 'deactivated_at']).where('id', '=', userId).executeTakeFirst();
  assertAssignable(userId, row ? { name: row.name, active: !row.deactivated_at } : null);
}

/** The user to assign to (null: none such) and whether they are active; a run round asks once per user (its runs mostly assign to the same few agents). */
async function assigneeIn(uow: UnitOfWork, userId: string): Promise<{ name: string; active: boolean } | null> {
  const known = uow.reads?.users.get(userId);
  if (known !== undefined) return known;
  const row = await uow.trx.selectFrom('users').select(['name', 'deactivated_at']).where('id', '=', userId).executeTakeFirst();
  const user = row ? { name: row.name, active: !row.deactivated_at } : null;
  uow.reads?.users.set(userId, user);
  return user;
}

/**
 * The thread in the order things happened: by created_at (ids are made at the same moment), which
 * also places a run's activity line, replaced in place under its id, where its latest state was
 * written (domain/activity.ts).
 */
export async function listMessages(db: Executor, conversationId: string): Promise<Message[]> {
  const rows = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toMessage);
}
