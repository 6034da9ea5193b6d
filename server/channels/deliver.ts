import type { Conversation } from '../../lib/contracts/conversations';
import { addMessage, type MessageAuthor } from '../domain/conversations';
import type { Cause } from '../domain/contacts';
import { inTransaction } from '../events/unit-of-work';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { isUniqueViolation } from '../store/database';
import type { ConnectionsTable, MessagesTable } from '../store/schema';
import { channelConfig, channelToken } from './connections';
import { credentialProblem, noteSendOutcome, recipientRefusal } from './channel-health';
import { applyEarlyStatus } from './delivery-status';
import { showEarlyReactionsOf } from '../webhooks/meta-reactions';
import { echoMark } from './echo-mark';
import type { Cancellation } from '../outbound/call';
import { graphCall, GraphCancelledError, GraphError, GraphUnreachableError, QUICK_RETRY_MAX_MS } from './graph';
import { inboxText, messengerBody, specAttachments, whatsappBody, type SendSpec } from './send-spec';

export interface DeliveryResult {
  messageId: string;
  /**
   * accepted: Meta took it (its id is stored); failed: Meta refused it; unknown: an earlier
   * attempt's outcome is not known; retrying: Meta was throttling or down, and the message waits
   * under its key for the next call (`retryLater`).
   */
  status: 'accepted' | 'failed' | 'unknown' | 'retrying';
  externalId: string | null;
  error: string | null;
  /** True when this call found the send already attempted (after a crash or a repeat) and did not call Meta. */
  repeated: boolean;
  /** Meta refused it for now (throttling, an outage): the same message may go through later. */
  transient?: boolean;
  /** Meta's Retry-After, when it gave one. */
  retryAfterMs?: number | null;
}

export interface DeliverInput {
  connection: ConnectionsTable;
  conversation: Conversation & { connectionId: string };
  spec: SendSpec;
  /** run id + step id, or the inbox request's key: one send per key, ever. */
  sendKey: string;
  author: MessageAuthor & { type: 'user' | 'workflow' | 'app' };
  cause: Cause;
  note?: (message: string) => void;
  /**
   * A workflow step that will be tried again: a send Meta refuses for now stays `retrying` under
   * its key, and the next call with the key sends that same message.
   */
  retryLater?: boolean;
  /** What the inbox shows for it instead of inboxText (an agent's template: its body as the customer reads it). */
  shownAs?: string;
  /** A workflow step's run cancel: the Graph request in flight is dropped, and none follows. */
  cancellation?: Cancellation;
}

const fromRow = (row: MessagesTable): DeliveryResult => {
  const status = row.delivery_status ?? 'pending';
  if (row.external_id) return { messageId: row.id, status: 'accepted', externalId: row.external_id, error: null, repeated: true };
  if (status === 'failed') return { messageId: row.id, status: 'failed', externalId: null, error: row.delivery_error ?? 'Meta refused the message', repeated: true };
  return {
    messageId: row.id, status: 'unknown', externalId: null, repeated: true,
    error: 'An earlier attempt stopped before Meta answered, so it may or may not have reached the customer; it is not sent again. Check the chat, then send again if it is missing.',
  };
};

async function setDelivery(services: Services, id: string, values: { external_id?: string | null; delivery_status: string; delivery_error?: string | null }) {
  await services.db.updateTable('messages').set({ ...values, delivery_updated_at: nowIso() }).where('id', '=', id).execute();
}

/** The outgoing message row, pending, under the send key; a concurrent first attempt's outcome instead. */
async function recordAttempt(services: Services, input: DeliverInput): Promise<string | DeliveryResult> {
  try {
    return (await inTransaction(services.db, (uow) => addMessage(uow, services, input.conversation.id, {
      text: (input.shownAs ?? inboxText(input.spec)).slice(0, 4096), direction: 'outgoing', kind: 'message', author: input.author,
      channel: { connectionId: input.connection.id, sendKey: input.sendKey, deliveryStatus: 'pending', attachments: specAttachments(input.spec) },
    }, input.cause))).id;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return fromRow(await services.db.selectFrom('messages').selectAll().where('send_key', '=', input.sendKey).executeTakeFirstOrThrow());
  }
}

/**
 * Sends one message through a WhatsApp / Messenger channel exactly once per send key. The
 * outgoing message row (status `pending`, carrying the key) commits BEFORE the Graph call; Meta's
 * message id is stored after it. A retry after a crash finds the row: with Meta's id it was sent
 * (nothing is repeated); without one the outcome is unknown and reported, never resent blindly.
 */
export async function deliverThroughChannel(services: Services, input: DeliverInput): Promise<DeliveryResult> {
  const { connection, conversation, spec, sendKey } = input;
  const earlier = await services.db.selectFrom('messages').selectAll().where('send_key', '=', sendKey).executeTakeFirst();
  let messageId: string;
  if (earlier && earlier.delivery_status === 'retrying' && !earlier.external_id) {
    // Meta refused it for now last time: the same message, sent again. Marked pending first, so a
    // crash during the call leaves it "unknown" (never sent twice), as a first attempt would.
    messageId = earlier.id;
    await setDelivery(services, messageId, { delivery_status: 'pending', delivery_error: null });
  } else if (earlier) {
    const r = fromRow(earlier);
    if (r.status === 'unknown' && earlier.delivery_status === 'pending') await setDelivery(services, earlier.id, { delivery_status: 'unknown', delivery_error: r.error });
    return r;
  } else {
    const created = await recordAttempt(services, input);
    if (typeof created !== 'string') return created;
    messageId = created;
  }

  const config = channelConfig(connection);
  const to = conversation.externalId ?? '';
  const isWa = connection.kind === 'whatsapp';
  let token: string;
  try {
    token = channelToken(services, connection);
  } catch (err) {
    // No token to send with (forgotten with a lost secret key, or sealed under another): nothing
    // left, so failed with what to do, as a token Meta refuses is, rather than an error answer.
    const error = `Not sent: ${(err as Error).message}`;
    await setDelivery(services, messageId, { delivery_status: 'failed', delivery_error: error });
    services.live.publish({ type: 'conversation.changed', conversationId: conversation.id, contactId: conversation.contactId });
    return { messageId, status: 'failed', externalId: null, error, repeated: false };
  }
  try {
    const answer = await graphCall<{ messages?: { id?: string }[]; message_id?: string }>({
      method: 'POST',
      path: `/${isWa ? config.phoneNumberId : config.pageId}/messages`,
      token,
      body: isWa ? whatsappBody(to, spec) : messengerBody(to, spec, echoMark(messageId)),
    }, {
      baseUrl: services.config.metaGraphUrl,
      // A request that may have reached Meta (connection lost mid-way) is not repeated.
      retryUnreachable: false,
      ...(input.cancellation ? { cancellation: input.cancellation } : {}),
      onRetry: (e, attempt, wait) => input.note?.(`Attempt ${attempt} answered ${e.message}; retrying in ${wait} ms`),
    });
    const externalId = (isWa ? answer.messages?.[0]?.id : answer.message_id) ?? null;
    if (!externalId) {
      await setDelivery(services, messageId, { delivery_status: 'unknown', delivery_error: 'Meta answered without a message id' });
      return { messageId, status: 'unknown', externalId: null, error: 'Meta answered without a message id', repeated: false };
    }
    await setDelivery(services, messageId, { external_id: externalId, delivery_status: 'accepted', delivery_error: null });
    await noteSendOutcome(services, connection, null);
    await applyEarlyStatus(services, externalId);
    await showEarlyReactionsOf(services, connection.id, externalId);
    services.live.publish({ type: 'conversation.changed', conversationId: conversation.id, contactId: conversation.contactId });
    return { messageId, status: 'accepted', externalId, error: null, repeated: false };
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    if (err instanceof GraphCancelledError) {
      // A cancel says nothing about the channel's health. Dropped after it left: Meta may have
      // taken it, so `unknown` (never sent again), as a send whose answer was lost.
      const status = err.sent ? 'unknown' : 'failed';
      const error = err.sent ? `${err.message}. Check the chat, then send again if it is missing.` : `Not sent: ${err.message}`;
      await setDelivery(services, messageId, { delivery_status: status, delivery_error: error });
      services.live.publish({ type: 'conversation.changed', conversationId: conversation.id, contactId: conversation.contactId });
      return { messageId, status, externalId: null, error, repeated: false };
    }
    await noteSendOutcome(services, connection, err);
    // Unknown only when the request may have reached Meta (no answer after it was written). Meta
    // answering an error, or a request that never left (refused, DNS), sent nothing; throttling,
    // outages and those pass (graph.ts TRANSIENT_CODES, 5xx), so they are tried again later.
    const unknown = err instanceof GraphUnreachableError && err.sent;
    const transient = !unknown && err.retriable;
    if (transient && input.retryLater && (err.retryAfterMs ?? 0) > QUICK_RETRY_MAX_MS) input.note?.(`Meta asked to wait ${Math.ceil(err.retryAfterMs! / 1000)} s before trying again (Retry-After)`);
    const status = unknown ? 'unknown' : transient && input.retryLater ? 'retrying' : 'failed';
    const error = credentialProblem(err) ?? recipientRefusal(err) ?? err.message;
    await setDelivery(services, messageId, { delivery_status: status, delivery_error: error });
    services.live.publish({ type: 'conversation.changed', conversationId: conversation.id, contactId: conversation.contactId });
    return { messageId, status, externalId: null, error, repeated: false, ...(transient ? { transient, retryAfterMs: err.retryAfterMs } : {}) };
  }
}
