import type { ConnectorCall } from '../connectors/registry';
import type { MessageAuthor } from '../domain/conversations';
import { registerConnector } from '../connectors/registry';
import { deliverThroughChannel, type DeliveryResult } from './deliver';
import type { SendSpec } from './send-spec';

// The Meta channels as members of the connector registry: a conversation whose connection is a
// WhatsApp number or a Page delivers its messages through the Graph API.
// Named apart from an inbox connector's plain `sendMessage(call, { text })`: a channel message
// carries media, buttons, templates and Meta's messaging type, and answers with its delivery.
declare module '../connectors/registry' {
  interface Connector {
    /** Delivers an outgoing message through a channel, at most once per `call.idempotencyKey`. */
    sendChannelMessage?(call: ConnectorCall, message: ChannelOutgoing): Promise<DeliveryResult>;
  }
}

export interface ChannelOutgoing {
  spec: SendSpec;
  author: MessageAuthor & { type: 'user' | 'workflow' };
  cause: { source: string; depth?: number };
  /** The sender tries again later when Meta refuses for now (see deliver.ts `retryLater`). */
  retryLater?: boolean;
}

export function registerMetaConnectors() {
  for (const kind of ['whatsapp', 'messenger'] as const) {
    registerConnector({
    kind,
    sendChannelMessage: (call, message) => deliverThroughChannel(call.services, {
      connection: call.connection, conversation: call.conversation, spec: message.spec, sendKey: call.idempotencyKey,
      author: message.author, cause: message.cause, note: call.note, ...(message.retryLater ? { retryLater: true } : {}),
      ...(call.cancellation ? { cancellation: call.cancellation } : {}),
    }),
    });
  }
}

/** Notes on an ad click whose ad can no longer trigger (the run log's trigger view reads event notes). */
export function registerAdClickNotes(services: import('../services').Services) {
  services.events.useDispatcher(async (_uow, event) =>
    (event.type === 'ad.clicked' && event.payload.ineligible ? { runIds: [], note: event.payload.ineligible } : { runIds: [] }));
}
