import type { Conversation } from '../../lib/contracts/conversations';
import { closedForReplies } from '../domain/closed-conversations';
import type { Cause } from '../domain/contacts';
import { HttpError, notFound } from '../http-error';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { toJson } from '../store/database';
import type { MessagesTable } from '../store/schema';
import type { Replier } from './agent-reply-policy';
import { planReply, replySpec, TRY_HOLD_MS, tryReply, type ReplyOutcome } from './agent-reply';

// Resend: a person sends an agent's reply that failed (Meta refused it, the tries later ran out)
// or whose outcome is unknown (the connection broke during the call) again, as Chatwoot's and
// respond.io's failed messages offer. The same message (its row, its send key) goes out once more;
// it is planned against the window as the resending person's reply (Messenger's Human Agent tag).

const RESENDABLE = ['failed', 'unknown'];

export interface ResendInput {
  conversation: Conversation;
  messageId: string;
  by: Replier & { userId: string | null };
  /** The request's Idempotency-Key: a second request with it (a double click) sends nothing. */
  key: string | null;
  cause: Cause;
  note(message: string): void;
}

export async function resendReply(services: Services, input: ResendInput): Promise<ReplyOutcome> {
  const { db } = services;
  const { conversation } = input;
  const current = () => db.selectFrom('messages').selectAll().where('id', '=', input.messageId).where('conversation_id', '=', conversation.id).executeTakeFirst();
  const message = await current();
  if (!message) throw notFound(`Message ${input.messageId} of conversation ${conversation.id}`);
  const sendKey = message.send_key;
  // A built-in conversation's reply keeps its Idempotency-Key too (`inbox:…`), but went through no channel.
  if (message.direction !== 'outgoing' || message.kind !== 'message' || !sendKey?.startsWith('inbox:') || !message.connection_id) {
    throw new HttpError(409, 'not_resendable', 'Only an agent’s reply sent through WhatsApp or Messenger can be sent again here (a workflow’s message is sent again by its run)');
  }
  await db.insertInto('reply_sends').values({
    send_key: sendKey, conversation_id: conversation.id, spec: toJson({ kind: 'text', text: message.text }), tries: 0, next_attempt_at: null, resend_key: null, created_at: nowIso(),
  }).onConflict((oc) => oc.column('send_key').doNothing()).execute();
  if (input.key) {
    const took = await db.updateTable('reply_sends').set({ resend_key: input.key }).where('send_key', '=', sendKey)
      .where((eb) => eb.or([eb('resend_key', 'is', null), eb('resend_key', '<>', input.key!)])).executeTakeFirst();
    // This request again (a double click, a retried request): answered with the message as it is now.
    if (Number(took.numUpdatedRows) === 0) return { message: (await current())! };
  }
  refuseUnlessFailed(message);
  if (conversation.status === 'closed') throw await closedForReplies(db, conversation);
  const connection = message.connection_id ? await db.selectFrom('connections').selectAll().where('id', '=', message.connection_id).executeTakeFirst() : undefined;
  if (!connection || conversation.connectionId !== connection.id) {
    throw new HttpError(409, 'channel_changed', 'The conversation is no longer on the channel this reply was for (disconnected, or the customer wrote on another one): write the reply again');
  }
  const t = {
    connection, conversation: { ...conversation, connectionId: connection.id }, spec: await replySpec(db, sendKey, message),
    sendKey, by: input.by, cause: input.cause, note: input.note,
  };
  const plan = await planReply(services, t);
  if ('error' in plan) return plan;
  // Claimed: of two Resends at once (two agents), one sends; the other is told it is on its way.
  // The copy the customer gets now comes after what they said since, on their phone as here: the
  // message moves to the end of the thread (thread_at, migration 095), and is the list's latest.
  const at = nowIso();
  const claimed = await db.updateTable('messages')
    .set({ delivery_status: 'retrying', delivery_error: null, external_id: null, delivery_updated_at: at, thread_at: at })
    .where('id', '=', message.id).where('delivery_status', 'in', RESENDABLE).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) {
    refuseUnlessFailed((await current())!);
    throw new HttpError(409, 'not_failed', 'This reply is not sent again: it is being sent already');
  }
  await db.updateTable('conversations').set({ last_message_at: at, last_message_id: message.id })
    .where('id', '=', conversation.id).where((eb) => eb.or([eb('last_message_at', 'is', null), eb('last_message_at', '<=', at)])).execute();
  await db.updateTable('reply_sends').set({ tries: 0, next_attempt_at: new Date(Date.now() + TRY_HOLD_MS).toISOString() }).where('send_key', '=', sendKey).execute();
  return tryReply(services, { ...t, tries: 1 }, plan.spec);
}

function refuseUnlessFailed(message: MessagesTable) {
  const status = message.delivery_status ?? '';
  if (RESENDABLE.includes(status)) return;
  const why = status === 'pending' || status === 'retrying'
    ? 'it is being sent already'
    : `it went out already (${status || 'not through a channel'})`;
  throw new HttpError(409, 'not_failed', `This reply is not sent again: ${why}`);
}
