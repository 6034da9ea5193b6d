import type { Conversation } from '../../../lib/contracts/conversations';
import { connectorOfKind, type Connector, type ConnectorCall } from '../../connectors/registry';
import type { StepContext } from './define';
import { StepError } from './define';
import { workflowAuthor } from './workflow-author';

type Method = Exclude<keyof Connector, 'kind'>;

/** Steps on a conversation that lives in a connection run outside the transaction (outside call). */
export const outsideWhenConnected = (c: Conversation | null) => Boolean(c?.connectionId);

/**
 * Chatwoot deleted the conversation (a sync closed it here with that reason): nothing can be done
 * there. Asking anyway earned a 404 that said nothing of why.
 */
export const deletedThere = (conversation: { closeReason: string | null }) => conversation.closeReason === 'deleted_in_chatwoot';
export const DELETED_THERE = 'the conversation was deleted in Chatwoot (a sync closed it here)';

/**
 * The connector that carries this conversation, when it has `method`: the step then acts through
 * it (the outside system and the local mirror); undefined means the step acts locally as always.
 */
export async function viaConnector<M extends Method>(ctx: Pick<StepContext, 'services' | 'idempotencyKey' | 'note' | 'cause' | 'once' | 'run' | 'db' | 'cancellation'>, conversation: Conversation | null, method: M):
Promise<{ invoke: (input: Parameters<NonNullable<Connector[M]>>[1]) => ReturnType<NonNullable<Connector[M]>> } | undefined> {
  if (!conversation?.connectionId) return undefined;
  if (deletedThere(conversation)) throw new StepError(`Cannot act on it: ${DELETED_THERE}; Chatwoot was not asked`);
  const connection = await ctx.services.db.selectFrom('connections').selectAll().where('id', '=', conversation.connectionId).executeTakeFirst();
  if (!connection) throw new StepError(`The conversation's connection ${conversation.connectionId} was removed; reconnect it to act on this conversation`);
  const connector = connectorOfKind(connection.kind);
  const fn = connector?.[method];
  if (!connector || !fn) return undefined;
  const call: ConnectorCall = {
    services: ctx.services, connection, conversation: { ...conversation, connectionId: conversation.connectionId },
    idempotencyKey: ctx.idempotencyKey, note: ctx.note, cause: ctx.cause, once: ctx.once, author: await workflowAuthor(ctx), cancellation: ctx.cancellation,
  };
  return { invoke: (input) => (fn as (c: ConnectorCall, i: unknown) => ReturnType<NonNullable<Connector[M]>>).call(connector, call, input) };
}
