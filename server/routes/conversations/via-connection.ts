import type { FastifyRequest } from 'fastify';
import type { Conversation, Message } from '../../../lib/contracts/conversations';
import { ChatwootApiError } from '../../connectors/chatwoot/api';
import { connectorOfKind, type Connector, type ConnectorCall, type ConnectorOutput } from '../../connectors/registry';
import { closedForReplies } from '../../domain/closed-conversations';
import type { Cause } from '../../domain/contacts';
import { toMessage, type MessageAuthor } from '../../domain/conversations';
import { RetryLaterError, StepError } from '../../engine/steps/define';
import { deletedThere } from '../../engine/steps/via-connector';
import { HttpError } from '../../http-error';
import { newId } from '../../ids';
import type { Services } from '../../services';
import { fromJson } from '../../store/database';
import { inboxSendKey, refuseOtherUse } from './reply-key';

type Method = 'sendMessage' | 'addNote' | 'close' | 'reopen' | 'assign';
type Input<M extends Method> = Parameters<NonNullable<Connector[M]>>[1];

const NAMES: Record<string, string> = { chatwoot: 'Chatwoot' };

/**
 * The inbox's actions on a conversation that lives in another inbox (Chatwoot) act there, through
 * the same connector calls as the workflow steps (the Chatwoot call first, then the local mirror,
 * so Chatwoot's echo finds nothing new): an agent who closes, replies or assigns here sees it in
 * Chatwoot, and the next webhook or sync does not undo it. Undefined: the companion acts alone (a
 * built-in or WhatsApp / Messenger conversation, or a Chatwoot account since disconnected).
 */
export async function viaConnection<M extends Method>(
  services: Services, req: FastifyRequest, conversation: Conversation, method: M,
  opts: { cause: Cause; idempotencyKey?: string; author?: ConnectorCall['author'] },
): Promise<{ name: string; invoke: (input: Input<M>) => Promise<ConnectorOutput> } | undefined> {
  if (!conversation.connectionId) return undefined;
  const connection = await services.db.selectFrom('connections').selectAll().where('id', '=', conversation.connectionId).executeTakeFirst();
  const connector = connection && connectorOfKind(connection.kind);
  const fn = connector?.[method];
  if (!connection || !connector || !fn) return undefined;
  const name = NAMES[connection.kind] ?? connection.kind;
  if (deletedThere(conversation)) {
    // Nothing can be done there any more (Chatwoot would answer 404): an internal note is kept
    // here, where the conversation's only copy now lives (as on a disconnected account's);
    // anything else is refused, saying why, before Chatwoot is asked.
    if (method === 'addNote') return undefined;
    throw deletedInOtherInbox(name, conversation, method);
  }
  const call: ConnectorCall = {
    services, connection, conversation: { ...conversation, connectionId: conversation.connectionId },
    idempotencyKey: opts.idempotencyKey ?? `inbox:${newId('act')}`, cause: opts.cause,
    note: (message) => req.log.info({ conversationId: conversation.id }, message),
    ...(opts.author ? { author: opts.author } : {}),
  };
  return {
    name,
    invoke: async (input) => {
      try {
        return await (fn as (c: ConnectorCall, i: unknown) => Promise<ConnectorOutput>).call(connector, call, input);
      } catch (err) {
        throw asHttpError(name, connection.kind, err);
      }
    },
  };
}

/**
 * What the agent is told when the other inbox did not do it. Busy or down: 503 with when to try
 * again. Refused by it (a 4xx, its token revoked): 502 with its answer, and a warning when the
 * request may have arrived all the same (a 502/504 after the save). Refused by the companion
 * before asking (no Chatwoot agent with the user's email, a post that may already have gone): 409.
 */
function asHttpError(name: string, kind: string, err: unknown): unknown {
  if (err instanceof RetryLaterError) {
    const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 30_000) / 1000));
    return new HttpError(503, `${kind}_unavailable`, `${name} did not take this for now (${err.message}); try again in a moment`, undefined, { 'retry-after': String(seconds) });
  }
  if (!(err instanceof StepError)) return err;
  if (err.cause instanceof ChatwootApiError) {
    const mayHaveArrived = !err.cause.noEffect ? ` It may have been done in ${name} all the same: look there before trying again.` : '';
    return new HttpError(502, `${kind}_refused`, `${name} did not do it: ${err.message.replace(/\.$/, '')}.${mayHaveArrived}`);
  }
  return new HttpError(409, `${kind}_refused`, err.message);
}

const DELETED_ACTS: Record<Exclude<Method, 'addNote'>, string> = {
  sendMessage: 'replied to there', close: 'resolved there', assign: 'assigned there',
  reopen: `reopened there; a new conversation opens when the customer writes in ${NAMES.chatwoot}, or when an agent starts one there`,
};

/** The 409 for an action on a conversation the other inbox deleted (a sync closed it here). */
function deletedInOtherInbox(name: string, conversation: Conversation, method: Exclude<Method, 'addNote'>): HttpError {
  const which = conversation.externalId ? `${name} conversation ${conversation.externalId}` : 'it';
  return new HttpError(409, 'deleted_in_chatwoot', `Conversation ${conversation.id} was deleted in ${name} (${which}; a sync closed it here), so it cannot be ${DELETED_ACTS[method]}. ${name} was not asked`);
}

/** The 409 for what the companion cannot do on a conversation that lives in another inbox: it is done there. */
export function inOtherInbox(name: string, conversation: Conversation, what: string): HttpError {
  return new HttpError(409, 'conversation_elsewhere', `Conversation ${conversation.id} lives in ${name} (its conversation ${conversation.externalId ?? ''}): ${what}`);
}

/**
 * `POST /conversations/:id/messages` on a conversation in another inbox: an agent's reply goes
 * out there and a note is posted there as a private note; the stored copy is answered (Chatwoot's
 * echo of it is recognised by its id and not stored twice). The customer's messages come from
 * that inbox only (409), and a reply on a closed conversation is refused as on any other.
 */
export async function postInConnection(
  services: Services, req: FastifyRequest, conversation: Conversation,
  input: { text: string; direction: 'incoming' | 'outgoing'; kind: 'message' | 'comment' },
  author: MessageAuthor & { type: 'contact' | 'user' | 'app' }, cause: Cause, idempotency: string | null,
): Promise<Message | undefined> {
  const note = input.kind === 'comment';
  const key = inboxSendKey(req, idempotency);
  const by = author.type === 'contact' ? undefined : { ...author, type: author.type };
  const via = await viaConnection(services, req, conversation, note ? 'addNote' : 'sendMessage', { cause, idempotencyKey: key, ...(by ? { author: by } : {}) });
  if (!via) return undefined;
  // The connector answers a repeat with what it posted (its attempt marker): only to the same request.
  const earlier = idempotency ? await postedUnder(services, key) : undefined;
  if (earlier) refuseOtherUse({ conversationId: earlier.conversation_id, same: earlier.text === input.text && earlier.kind === input.kind }, conversation.id);
  if (!note && input.direction === 'incoming') throw inOtherInbox(via.name, conversation, `a customer's messages arrive from ${via.name}, they cannot be added here`);
  if (!note && conversation.status === 'closed') throw await closedForReplies(services.db, conversation);
  const posted = await via.invoke({ text: input.text });
  return toMessage(await services.db.selectFrom('messages').selectAll().where('id', '=', String(posted.messageId)).executeTakeFirstOrThrow());
}

/** The message a connector posted under this key (`step_effects`: `<key>:attempt`, connector.ts). */
async function postedUnder(services: Services, key: string) {
  const marker = await services.db.selectFrom('step_effects').select('result').where('key', '=', `${key}:attempt`).executeTakeFirst();
  const messageId = fromJson<{ messageId?: unknown } | null>(marker?.result ?? null, null)?.messageId;
  if (typeof messageId !== 'string') return undefined;
  return services.db.selectFrom('messages').select(['conversation_id', 'text', 'kind']).where('id', '=', messageId).executeTakeFirst();
}
