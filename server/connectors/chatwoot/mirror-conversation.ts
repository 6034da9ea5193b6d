import { changeTags, type Cause } from '../../domain/contacts';
import { addMessage, assignConversation, closeConversation, conversationWritten, findOpenConversation, openConversation, toConversation } from '../../domain/conversations';
import type { ConversationsTable } from '../../store/schema';
import { placeColumns, type ConversationPlace } from '../../domain/conversation-place';
import { isImport } from './import-rule';
import { labelsAsTags } from './label-tags';
import { chatwootMessageTime } from './message-time';
import { applyContact, type MirrorContext } from './mirror-contact';
import { isStale, loadObject, saveObject } from './objects';
import { toJson } from '../../store/database';
import { htmlToText, isIncoming, isOutgoingOrTemplate, messageText, quotedMessageId, stampSeconds, toAttachments, type CwAttachment, type CwContentAttributes, type CwConversation } from './payloads';

export interface ConversationState { status: string; labels: string[]; assigneeId?: number | null }

/** The companion conversation that mirrors a Chatwoot conversation now: its latest open period. */
export async function latestMirror(ctx: Pick<MirrorContext, 'uow' | 'conn'>, displayId: number): Promise<ConversationsTable | undefined> {
  return ctx.uow.trx.selectFrom('conversations').selectAll()
    .where('connection_id', '=', ctx.conn.row.id).where('external_id', '=', String(displayId))
    .orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
}

/**
 * Resolved is closed; open, pending (a bot is handling it) and snoozed (comes back by itself) are
 * all still open: a companion conversation is open until the work on it is done.
 */
export const isOpenStatus = (status: string) => status !== 'resolved';

/**
 * Who opened it, for `conversation_opened` conditions. A new conversation whose last message is
 * an agent's (an agent started it) is `user`, else `contact` (the customer wrote). A reopen is
 * `contact` when a customer message arrived within a minute of it (Chatwoot reopens on an
 * incoming message, message.rb:369-388), else an agent reopened it: `user`.
 */
function openedBy(conv: CwConversation, reopen: boolean): 'user' | 'contact' {
  const last = conv.messages.at(-1);
  if (!reopen) return last && isOutgoingOrTemplate(last.message_type) ? 'user' : 'contact';
  const sent = stampSeconds(last?.created_at);
  const changed = stampSeconds(conv.updated_at);
  return last && isIncoming(last.message_type) && (sent === null || changed === null || Math.abs(changed - sent) <= 60) ? 'contact' : 'user';
}

/**
 * The customer's message that opened this period, for `$trigger.firstIncomingMessage`: the last
 * message (the only one a payload carries) when it is the customer's and not stored here yet, so
 * it arrived after the period the companion saw (Chatwoot reopens on an incoming message). The
 * caller stores it right after, as the conversation's first incoming message.
 */
async function openingMessage(ctx: MirrorContext, conv: CwConversation): Promise<string | null> {
  const last = conv.messages.at(-1);
  if (!last || !isIncoming(last.message_type) || last.private) return null;
  const seen = await ctx.uow.trx.selectFrom('messages').select('id')
    .where('connection_id', '=', ctx.conn.row.id).where('external_id', '=', String(last.id)).executeTakeFirst();
  return seen ? null : messageText(last.content ?? '', toAttachments(last.attachments));
}

/**
 * Opens the companion conversation for a Chatwoot conversation (a new open period). The contact's
 * other open conversation, if any, is closed as `superseded` (one open per contact; triggers nothing).
 * Created on its connection, so Conversation Opened says `channel: chatwoot`, and in its Chatwoot
 * inbox (`place`), which rules and templates read. `openedAt`: when it opened in Chatwoot (imported).
 */
export async function openMirror(ctx: MirrorContext, contactId: string, displayId: number, cause: Cause, firstIncoming: string | null,
  where: { place?: ConversationPlace | undefined; openedAt?: string | undefined } = {}): Promise<string> {
  const { uow, services, conn } = ctx;
  const other = await findOpenConversation(uow.trx, contactId);
  if (other) await closeConversation(uow, services, other.id, { reason: 'superseded' }, { source: cause.source, ...(cause.imported ? { imported: true } : {}) });
  const place = where.place ?? await storedPlace(ctx, displayId);
  const opened = await openConversation(uow, services, contactId, cause, firstIncoming, {
    connectionId: conn.row.id, externalId: String(displayId), ...(place ? { place } : {}), ...(where.openedAt ? { openedAt: where.openedAt } : {}),
  });
  conversationWritten(uow);
  return opened.id;
}

/** The inbox an earlier period of this Chatwoot conversation was in (a step reopening it has no payload). */
async function storedPlace(ctx: Pick<MirrorContext, 'uow' | 'conn'>, displayId: number): Promise<ConversationPlace | undefined> {
  const row = await latestMirror(ctx, displayId);
  return row && (row.inbox_external_id || row.channel_type)
    ? { inboxId: row.inbox_external_id ?? null, inboxName: row.inbox_name ?? null, channel: row.channel_type ?? null }
    : undefined;
}

/**
 * Keeps each period of the Chatwoot conversation in its inbox: fills what a mirror from before this
 * was kept lacks (the next sync or delivery does it) and follows a rename of the inbox.
 */
async function keepPlace(ctx: MirrorContext, displayId: number, place: ConversationPlace) {
  const set = placeColumns(place);
  if (Object.keys(set).length === 0) return;
  await ctx.uow.trx.updateTable('conversations').set(set)
    .where('connection_id', '=', ctx.conn.row.id).where('external_id', '=', String(displayId))
    .where((eb) => eb.or(Object.entries(set).map(([column, value]) =>
      eb.or([eb(column as 'inbox_name', 'is', null), eb(column as 'inbox_name', '!=', value as string)]))))
    .execute();
}

/** When Chatwoot says the conversation was created, as an ISO time (null: not said or not a time). */
function createdAtIso(conv: CwConversation): string | null {
  const seconds = stampSeconds(conv.created_at);
  return seconds === null ? null : new Date(Math.floor(seconds) * 1000).toISOString();
}

/**
 * Applies a Chatwoot conversation: opens / closes the companion conversation (each open period of
 * a Chatwoot conversation is one companion conversation, as in the built-in inbox) and turns label
 * changes into the contact's tags. A state older than the applied one changes nothing. One that
 * was there before the account was connected is imported (isImport): mirrored, starting no run.
 */
export async function applyConversation(ctx: MirrorContext, conv: CwConversation, opts: {
  version: number | null; previousLabels?: string[] | undefined; contactVersion?: number | null;
  /** An agent is looking at it (resolve): a conversation set aside as `superseded` opens again. */
  reactivate?: boolean;
  /** The Chatwoot assignee's email (webhooks carry none: looked up beforehand); undefined: unknown. */
  assigneeEmail?: string | null | undefined;
  /** The delivery reports that Chatwoot reopened it (`status` changed from resolved). */
  reportsReopen?: boolean;
  /** The delivery is its conversation_created. */
  reportsCreation?: boolean;
  /** Its Chatwoot inbox and channel (inboxes.ts placeOf, read before the transaction). */
  place?: ConversationPlace | undefined;
}): Promise<{ conversationId: string | null; contactId: string; imported: boolean }> {
  const { uow, services, conn } = ctx;
  const trx = uow.trx;
  const stored = await loadObject<ConversationState>(trx, conn.row.id, 'conversation', conv.id);
  let row = await latestMirror(ctx, conv.id);
  const imported = !stored && !row && isImport({
    createdAt: conv.created_at, connectedAt: conn.row.created_at, imported: conn.row.last_synced_at !== null, reportsReopen: opts.reportsReopen === true,
    reportsCreation: opts.reportsCreation === true, relinked: conn.config.relinked === true,
  });
  const cause: Cause = imported ? { source: 'user', imported: true } : { source: 'user' };
  const contactId = await applyContact(ctx, conv.meta.sender, { version: opts.contactVersion ?? null, attributes: opts.contactVersion !== undefined, cause });
  if (stored && isStale(stored.version, opts.version)) {
    ctx.notes.push(`Conversation ${conv.id}: a state older than the one applied arrived late; ignored`);
    return { conversationId: row?.id ?? null, contactId, imported };
  }

  // A conversation set aside because Chatwoot opened another for the contact stays aside on its
  // updates (else two open Chatwoot conversations would take turns, firing Opened each time).
  const setAside = row?.status === 'closed' && row.close_reason === 'superseded' && !opts.reactivate;
  if (isOpenStatus(conv.status) && row?.status !== 'open' && !setAside) {
    const opening = { ...cause, source: openedBy(conv, Boolean(row)) };
    // Imported: it has been open since Chatwoot created it, not since this sync (resolution times count from there).
    const openedAt = imported ? createdAtIso(conv) ?? undefined : undefined;
    const openedId = await openMirror(ctx, contactId, conv.id, opening, await openingMessage(ctx, conv), { place: opts.place, openedAt });
    row = await trx.selectFrom('conversations').selectAll().where('id', '=', openedId).executeTakeFirstOrThrow();
  } else if (!isOpenStatus(conv.status) && row?.status === 'open') {
    await closeConversation(uow, services, row.id, {}, { source: 'user' });
  }
  // Snoozed or pending there stays open here (lists, triggers), but is not its agent's open work:
  // Chatwoot shows those under their own tabs, and Assign to's Least open counts open ones only.
  const held = conv.status === 'snoozed' || conv.status === 'pending' ? conv.status : null;
  if (row?.status === 'open' && (row.held_status ?? null) !== held) await trx.updateTable('conversations').set({ held_status: held }).where('id', '=', row.id).execute();

  if (opts.place) await keepPlace(ctx, conv.id, opts.place);

  // Conversation labels are the contact's tags: what was added or removed on the conversation
  // since the applied state (else the webhook's own previous value) is added to / removed from them.
  // Imported: the labels it already had come silently; only a change the delivery reports is news.
  let before = stored?.state.labels ?? opts.previousLabels ?? [];
  if (imported) {
    const had = opts.previousLabels ? conv.labels.filter((l) => opts.previousLabels?.includes(l)) : conv.labels;
    if (had.length) await changeTags(uow, services, contactId, 'add', labelsAsTags(had, ctx.notes), cause);
    before = opts.previousLabels ?? conv.labels;
  }
  const added = conv.labels.filter((l) => !before.includes(l));
  const removed = before.filter((l) => !conv.labels.includes(l));
  if (added.length) await changeTags(uow, services, contactId, 'add', labelsAsTags(added, ctx.notes), { source: 'user' });
  if (removed.length) await changeTags(uow, services, contactId, 'remove', labelsAsTags(removed, []), { source: 'user' });

  // Assignment follows Chatwoot when it changed there: the companion user with the agent's email.
  const assigneeId = conv.meta.assignee?.id ?? null;
  const email = conv.meta.assignee ? (conv.meta.assignee.email ?? opts.assigneeEmail) : null;
  let appliedAssignee = stored?.state.assigneeId;
  if (row?.status === 'open' && assigneeId !== (stored?.state.assigneeId ?? null) && email !== undefined) {
    const user = email ? await trx.selectFrom('users').select(['id', 'deactivated_at']).where('email', '=', email.toLowerCase()).executeTakeFirst() : undefined;
    // An agent with no active user here: the conversation is no longer the previous assignee's
    // (else it stayed under their Mine, and their unassign or a colleague's "take it?" acted on a
    // stale owner), so it shows as unassigned, and the note says whom Chatwoot gave it to.
    const unmapped = email && !user ? 'has no companion user' : user?.deactivated_at ? 'is a deactivated companion user' : null;
    if (unmapped) ctx.notes.push(`Chatwoot assigned it to agent ${email}, who ${unmapped}; it shows as unassigned here`);
    await assignConversation(uow, services, row.id, unmapped ? null : user?.id ?? null, cause);
    appliedAssignee = assigneeId;
  }
  await saveObject(trx, conn.row.id, 'conversation', conv.id, opts.version ?? stored?.version ?? 0,
    { status: conv.status, labels: conv.labels, assigneeId: appliedAssignee ?? null } satisfies ConversationState, row?.id ?? null);
  return { conversationId: row?.id ?? null, contactId, imported };
}

/**
 * A message: stored once per Chatwoot message id, as text (not the HTML Chatwoot renders for web
 * and email inboxes), with its files as attachments (their Chatwoot addresses). Agents' replies are outgoing (they set the first response time), their
 * private notes comments; what a workflow posted is already stored under the same id. `imported`:
 * the last message of a conversation a sync just imported (a delivery's message is news). Dated
 * by Chatwoot's `created_at` (message-time.ts), else when it arrived.
 */
export async function applyIncomingMessage(
  ctx: MirrorContext, msg: { id: number; content?: string | null | undefined; attachments?: CwAttachment[]; conversation: CwConversation; content_attributes?: CwContentAttributes; created_at?: unknown },
  from: 'contact' | 'agent' | 'note' = 'contact', imported = false, place?: ConversationPlace,
  /** Written by a Chatwoot agent bot: the companion's own message echoed back (post() names its workflow), or another bot's. */
  bot?: { name: string | null },
) {
  const { conversationId, contactId } = await applyConversation(ctx, msg.conversation, { version: stampSeconds(msg.conversation.updated_at), place });
  if (!conversationId) return { stored: false };
  const trx = ctx.uow.trx;
  const seen = await trx.selectFrom('messages').select('id').where('connection_id', '=', ctx.conn.row.id).where('external_id', '=', String(msg.id)).executeTakeFirst();
  if (seen) return { stored: false };
  // The embedded copy in conversation.messages[] is the raw text; the top-level content may be HTML.
  const embedded = msg.conversation.messages.find((m) => m.id === msg.id);
  const attachments = toAttachments(msg.attachments?.length ? msg.attachments : embedded?.attachments ?? []);
  const text = messageText(embedded?.content ?? htmlToText(msg.content ?? ''), attachments);
  // A customer's reply quoting a workflow's question answers that question (question-target.ts),
  // as a quoted WhatsApp message does: the quoted id is the one Chatwoot gave the question's POST.
  const quoted = quotedMessageId(msg.content_attributes ?? embedded?.content_attributes);
  // The webhook's own time has milliseconds; the embedded copy's (and a sync's) whole seconds.
  const at = chatwootMessageTime([msg.created_at, embedded?.created_at]);
  const stored = await addMessage(ctx.uow, ctx.services, conversationId, {
    ...(from === 'contact'
      ? { text, direction: 'incoming', kind: 'message', author: { type: 'contact', id: contactId }, ...(quoted ? { channel: { connectionId: ctx.conn.row.id, externalId: String(msg.id), inReplyTo: quoted } } : {}) }
      : { text, direction: 'outgoing', kind: from === 'note' ? 'comment' : 'message', author: bot ? { type: 'workflow', id: null, ...(bot.name ? { name: bot.name } : {}) } : { type: 'user', id: null } }),
    ...(at ? { at } : {}),
  }, { source: from === 'contact' ? 'contact' : bot ? 'bot' : 'user', ...(imported ? { imported: true } : {}) });
  await trx.updateTable('messages').set({ connection_id: ctx.conn.row.id, external_id: String(msg.id), ...(attachments.length ? { attachments: toJson(attachments) } : {}) })
    .where('id', '=', stored.id).execute();
  return { stored: true };
}

export { toConversation };
