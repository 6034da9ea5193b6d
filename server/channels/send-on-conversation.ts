import type { Conversation } from '../../lib/contracts/conversations';
import { connectorOfKind } from '../connectors/registry';
import type { Cause } from '../domain/contacts';
import type { MessageAuthor } from '../domain/conversations';
import type { Cancellation } from '../outbound/call';
import type { Services } from '../services';
import { isChannelKind } from './connections';
import { planSend } from './policy';
import { sendWithFollowUps, type ChannelSent } from './send-follow-ups';
import type { SendSpec } from './send-spec';
import { channelWindow } from './window';

export interface ChannelSendInput {
  conversation: Conversation & { connectionId: string };
  spec: SendSpec;
  /** Sent instead when WhatsApp's 24-hour window is closed. */
  fallback?: SendSpec;
  sendKey: string;
  author: MessageAuthor & { type: 'user' | 'workflow' };
  cause: Cause;
  note(message: string): void;
  /** A workflow step that will be tried again: see deliver.ts `retryLater`. */
  retryLater?: boolean;
  /** A workflow step's run cancel: the Graph request in flight is dropped (deliver.ts). */
  cancellation?: Cancellation;
}

/**
 * Sends on the conversation's connection through its connector. The 24-hour window is checked
 * first (a refusal is returned as `error`, nothing stored); a send already attempted under this
 * key is answered from its stored outcome, whatever the window says now. What follows a send
 * (a fallback after Meta's 131047, a Messenger caption): send-follow-ups.ts.
 */
export async function sendOnConversation(services: Services, input: ChannelSendInput): Promise<{ error: string } | ChannelSent> {
  const connection = await services.db.selectFrom('connections').selectAll().where('id', '=', input.conversation.connectionId).executeTakeFirst();
  if (!connection) return { error: 'The conversation’s channel was disconnected; connect it again to send' };
  const connector = connectorOfKind(connection.kind);
  if (!connector?.sendChannelMessage) return { error: `Messages cannot be sent through a ${connection.kind} connection` };
  let spec = input.spec;
  const attempted = await services.db.selectFrom('messages').select('id').where('send_key', '=', input.sendKey).executeTakeFirst();
  if (!attempted && isChannelKind(connection.kind)) {
    const window = await channelWindow(services.db, input.conversation, connection.kind);
    const plan = planSend(connection.kind, input.spec, window, input.fallback);
    if ('error' in plan) return plan;
    for (const n of plan.notes) input.note(n);
    spec = plan.spec;
  }
  const send = (s: SendSpec, key: string) => connector.sendChannelMessage!({
    services, connection, conversation: input.conversation, idempotencyKey: key, note: input.note, ...(input.cancellation ? { cancellation: input.cancellation } : {}),
  }, { spec: s, author: input.author, cause: input.cause, ...(input.retryLater ? { retryLater: true } : {}) });
  return sendWithFollowUps(services, { connection, conversation: input.conversation, spec, fallback: input.fallback, sendKey: input.sendKey, note: input.note }, send);
}
