import type { Conversation } from '../../lib/contracts/conversations';
import type { Services } from '../services';
import type { ConnectionsTable } from '../store/schema';

/**
 * Connectors carry a conversation that lives outside the companion (DESIGN §12). A connector is
 * one file per kind of connection (`whatsapp`, `messenger`, `chatwoot`), registered below; steps
 * and the inbox ask `connectorFor(conversation)` and fall back to the built-in behaviour when a
 * conversation has no connection. Every method is optional: a channel (Meta) delivers messages,
 * an inbox (Chatwoot) also carries notes, labels, attributes, assignment and status.
 *
 * Each call receives an idempotency key (run id + step id for steps, the message id for inbox
 * replies); a connector that cannot make the outside call idempotent records its attempt first,
 * so a retry after a crash never repeats a send (the stored outside id is the proof).
 */
export interface ConnectorCall {
  services: Services;
  connection: ConnectionsTable;
  conversation: Conversation & { connectionId: string; externalId: string | null };
  idempotencyKey: string;
  /** Adds a line to the run's step log (the outside call and its answer). */
  note(message: string): void;
}

export interface Connector {
  kind: string;
}

const connectors = new Map<string, Connector>();

export function registerConnector(connector: Connector) {
  connectors.set(connector.kind, connector);
}

export function connectorOfKind(kind: string): Connector | undefined {
  return connectors.get(kind);
}
