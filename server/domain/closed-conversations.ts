import {
  HISTORY_CONVERSATIONS, HISTORY_MESSAGES,
  type Conversation, type ConversationHistory, type EarlierConversation, type PostedMessage,
} from '../../lib/contracts/conversations';
import { isChannelKind } from '../channels/connections';
import { inTransaction } from '../events/unit-of-work';
import { HttpError } from '../http-error';
import type { Services } from '../services';
import type { Executor } from '../store/database';
import type { UnitOfWork } from '../events/unit-of-work';
import { writeStepLine } from './activity';
import { lineAuthor, reopenedText, type ChangedBy } from './change-lines';
import type { Cause } from './contacts';
import { addMessage, findOpenConversation, openConversation, toConversation, type MessageAuthor } from './conversations';
import { messagePage } from './message-page';

// What happens to a conversation once it is closed. Each open→close period of a contact is a
// conversation of its own (as Chatwoot's periods are mirrored, connectors/chatwoot), so:
// - a customer who writes again opens the contact's conversation again, as a message arriving on
//   a channel does (webhooks/meta-ingest.ts): their message goes there, Conversation Opened fires
//   with source `contact`;
// - an agent's reply on a closed conversation is refused (409): reopen it first (Chatwoot users
//   reply in the open conversation; a reply stored on a closed one would reach no one's inbox);
// - internal notes (comments) may still go on a closed conversation (the add_comment step does so
//   on the conversation its run started from);
// - the inbox shows the contact's earlier conversations above the open one (contactHistory).

export interface PostedInput {
  text: string;
  direction: 'incoming' | 'outgoing';
  kind: 'message' | 'comment';
  author: MessageAuthor;
  /** A note's Idempotency-Key (routes/conversations/posted-key.ts). */
  sendKey?: string;
}

/** The 409 for a reply on a closed conversation, pointing at the contact's open one when there is one. */
export async function closedForReplies(db: Executor, closed: Conversation): Promise<HttpError> {
  const open = await findOpenConversation(db, closed.contactId);
  const message = open
    ? `Conversation ${closed.id} is closed; the contact's conversation goes on in ${open.id}: reply there`
    : `Conversation ${closed.id} is closed: reopen it to reply (POST /api/v1/conversations {"contactId":"${closed.contactId}"})`;
  return new HttpError(409, 'conversation_closed', message, [{ path: 'params.id', message: 'The conversation is closed' }]);
}

/**
 * The connection a conversation opened by the customer writing again keeps: the closed one's
 * WhatsApp number or Page (replies go back there). Not an inbox connection such as Chatwoot: its
 * conversations open and close as Chatwoot says (connectors/chatwoot).
 */
async function channelKept(db: Executor, closed: Conversation): Promise<{ connectionId: string; externalId: string | null } | undefined> {
  if (!closed.connectionId) return undefined;
  const row = await db.selectFrom('connections').select('kind').where('id', '=', closed.connectionId).executeTakeFirst();
  return row && isChannelKind(row.kind) ? { connectionId: closed.connectionId, externalId: closed.externalId } : undefined;
}

/**
 * The WhatsApp number or Page of the contact's latest conversation, which a conversation opened
 * again for them (the inbox's Reopen, `POST /conversations`) keeps, so that replies still reach
 * the customer there (the 24-hour window applies as before). None: a built-in conversation.
 */
export async function channelOfLatest(db: Executor, contactId: string): Promise<{ connectionId: string; externalId: string | null } | undefined> {
  const latest = await latestOf(db, contactId);
  return latest ? channelKept(db, latest) : undefined;
}

const latestOf = async (db: Executor, contactId: string) => {
  const row = await db.selectFrom('conversations').selectAll().where('contact_id', '=', contactId)
    .orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return row ? toConversation(row) : undefined;
};

/**
 * The contact's conversation opened again from here (the inbox's Reopen, `POST /conversations`),
 * on its latest conversation's channel (channelOfLatest). Opened by a person after an earlier
 * one, its thread starts "Conversation was reopened by Ava" (Chatwoot's line, change-lines.ts),
 * under the earlier conversation the inbox shows above it. A contact's first conversation says
 * nothing: Chatwoot writes no line for a new conversation either.
 */
export async function openAgain(
  uow: UnitOfWork, services: Services, contactId: string, cause: Cause, by?: Extract<ChangedBy, { type: 'user' }>,
): Promise<Conversation> {
  const latest = await latestOf(uow.trx, contactId);
  const opened = await openConversation(uow, services, contactId, cause, null, latest ? await channelKept(uow.trx, latest) : undefined);
  if (by && latest) await writeStepLine(uow, { conversationId: opened.id, contactId, author: lineAuthor(by), text: reopenedText(by) });
  // Until something is written in it, the list previews what was said last (Chatwoot reopens the
  // same conversation, so its row keeps its last message); it showed the phone number instead.
  // Its activity stays its opening (last_message_at null), and its first message replaces this (073).
  if (latest) {
    await uow.trx.updateTable('conversations')
      .set((eb) => ({ last_message_id: eb.selectFrom('conversations as earlier').select('earlier.last_message_id').where('earlier.id', '=', latest.id) }))
      .where('id', '=', opened.id).where('last_message_id', 'is', null).execute();
  }
  return opened;
}

/**
 * A message posted on a closed conversation (`POST /conversations/:id/messages`). A comment stays
 * there; an outgoing message is refused (409 `conversation_closed`); a customer's message goes to
 * the contact's open conversation, opened by it (source `contact`) when none is.
 */
export async function postOnClosedConversation(
  services: Services, closed: Conversation, input: PostedInput, cause: Cause,
): Promise<PostedMessage> {
  if (input.kind === 'comment') return inTransaction(services.db, (uow) => addMessage(uow, services, closed.id, input, cause));
  if (input.direction === 'outgoing') throw await closedForReplies(services.db, closed);
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(services.db, async (uow) => {
        let target = await findOpenConversation(uow.trx, closed.contactId);
        const opened = !target;
        target ??= await openConversation(uow, services, closed.contactId, { source: 'contact' }, input.text, await channelKept(uow.trx, closed));
        const message = await addMessage(uow, services, target.id, input, cause);
        return { ...message, closedConversationId: closed.id, openedConversation: opened };
      });
    } catch (err) {
      // Someone opened the contact's conversation at the same moment (another message of the
      // customer, an agent's Reopen): once that is committed, this message joins it.
      if (attempt === 0 && err instanceof HttpError && err.statusCode === 409 && err.code === 'conflict') continue;
      throw err;
    }
  }
}

/** `contactOpenConversationId` of a conversation's detail. */
export async function contactOpenConversationId(db: Executor, c: Conversation): Promise<string | null> {
  if (c.status === 'open') return c.id;
  return (await findOpenConversation(db, c.contactId))?.id ?? null;
}

/**
 * The contact's conversations opened before this one, oldest first, with their latest messages
 * (at most HISTORY_MESSAGES in all, from at most HISTORY_CONVERSATIONS conversations).
 */
export async function contactHistory(db: Executor, c: Conversation): Promise<ConversationHistory> {
  const rows = await db.selectFrom('conversations').selectAll()
    .where('contact_id', '=', c.contactId)
    .where((eb) => eb.or([eb('opened_at', '<', c.openedAt), eb.and([eb('opened_at', '=', c.openedAt), eb('id', '<', c.id)])]))
    .orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(HISTORY_CONVERSATIONS + 1).execute();
  let truncated = rows.length > HISTORY_CONVERSATIONS;
  const earlier: EarlierConversation[] = [];
  let room = HISTORY_MESSAGES;
  // Newest first, each read from its own index range (messages_by_conversation_time), until the room is used up.
  for (const row of rows.slice(0, HISTORY_CONVERSATIONS)) {
    if (room === 0) { truncated = true; break; }
    // Latest first in the thread's own order (created_at, id), as GET /conversations/:id/messages
    // pages it: the cursor of one cut short then reads on from exactly where it stops.
    const page = await messagePage(db, row.id, { limit: room });
    if (page.nextCursor) truncated = true;
    room -= page.messages.length;
    const conversation = toConversation(row);
    earlier.push({
      id: conversation.id, status: conversation.status, openedBySource: conversation.openedBySource, closedBySource: conversation.closedBySource,
      closeReason: conversation.closeReason, category: conversation.category, summary: conversation.summary,
      openedAt: conversation.openedAt, closedAt: conversation.closedAt, messages: page.messages, olderMessagesCursor: page.nextCursor,
    });
  }
  return { conversations: earlier.reverse(), truncated };
}
