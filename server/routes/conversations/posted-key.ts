import type { FastifyRequest } from 'fastify';
import type { Message } from '../../../lib/contracts/conversations';
import { toMessage } from '../../domain/conversations';
import { isUniqueViolation, type Executor } from '../../store/database';
import { inboxSendKey, refuseOtherUse } from './reply-key';

/**
 * An Idempotency-Key on a message the companion stores itself (a built-in conversation's reply or
 * note, a note on a WhatsApp / Messenger conversation) follows the rule of a reply through a
 * channel (reply-key.ts): the caller's own, kept as the message's send key, so a retried request
 * is answered the first message instead of storing it twice. The keys are the same as a channel
 * reply's, so a key is one request whichever kind of conversation it went to.
 */
type Posted = { text: string; direction: 'incoming' | 'outgoing'; kind: 'message' | 'comment' };

/**
 * The send key of this post, or undefined when it has none. A customer's message posted here is
 * not keyed: on a closed conversation it goes to the one it opens again, so "the same
 * conversation" would not hold for its retry.
 */
export function postedKey(req: FastifyRequest, body: Posted, idempotency: string | null): string | undefined {
  if (!idempotency || (body.direction === 'incoming' && body.kind === 'message')) return undefined;
  return inboxSendKey(req, idempotency);
}

/** The message stored under this key before: the same request on the same conversation gets it; anything else is a 409. */
export async function earlierPost(db: Executor, key: string, conversationId: string, body: Posted): Promise<Message | undefined> {
  const earlier = await db.selectFrom('messages').selectAll().where('send_key', '=', key).executeTakeFirst();
  if (!earlier) return undefined;
  refuseOtherUse({ conversationId: earlier.conversation_id, same: earlier.text === body.text && earlier.kind === body.kind && earlier.direction === body.direction }, conversationId);
  return toMessage(earlier);
}

/** Stores once: the same request at the same moment (a double click) is answered what the first stored. */
export async function storedOnce<M extends Message>(db: Executor, key: string | undefined, conversationId: string, body: Posted, store: () => Promise<M>): Promise<M | Message> {
  try {
    return await store();
  } catch (err) {
    const earlier = key && isUniqueViolation(err) ? await earlierPost(db, key, conversationId, body) : undefined;
    if (earlier) return earlier;
    throw err;
  }
}
