import {
  HISTORY_CONVERSATIONS, HISTORY_MESSAGES,
  type Conversation, type ConversationHistory, type EarlierConversation, type PostedMessage,
} from '../../lib/contracts/conversations';
import { isChannelKind } from '../channels/connections';
import { inTransaction } from '../events/unit-of-work';
import { HttpError } from '../http-error';
import type { Services } from '../services';
import type { Executor } from '../store/database';
import type { Cause } from './contacts';
import { addMessage, findOpenConversation, openConversation, toConversation, toMessage } from './conversations';

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
  author: { type: 'contact' | 'user' | 'workflow'; id: string | null };
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
  const latest = await db.selectFrom('conversations').selectAll().where('contact_id', '=', contactId)
    .orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return latest ? channelKept(db, toConversation(latest)) : undefined;
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

/** listMessages' order: created_at, then id. */
const inThreadOrder = (a: { created_at: string; id: string }, b: { created_at: string; id: string }) =>
  a.created_at === b.created_at ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.created_at < b.created_at ? -1 : 1;

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
  // Newest first, each read from its own index range (messages_by_conversation), until the room is used up.
  for (const row of rows.slice(0, HISTORY_CONVERSATIONS)) {
    if (room === 0) { truncated = true; break; }
    const messages = await db.selectFrom('messages').selectAll().where('conversation_id', '=', row.id)
      .orderBy('id', 'desc').limit(room + 1).execute();
    if (messages.length > room) { truncated = true; messages.length = room; }
    room -= messages.length;
    const conversation = toConversation(row);
    earlier.push({
      id: conversation.id, status: conversation.status, openedBySource: conversation.openedBySource, closedBySource: conversation.closedBySource,
      closeReason: conversation.closeReason, category: conversation.category, summary: conversation.summary,
      // In the order of the thread itself (listMessages): a replaced activity line where it was last written.
      openedAt: conversation.openedAt, closedAt: conversation.closedAt, messages: messages.sort(inThreadOrder).map(toMessage),
    });
  }
  return { conversations: earlier.reverse(), truncated };
}
