import type { FieldValue } from '../../lib/contracts/contacts';
import type { Conversation } from '../../lib/contracts/conversations';
import type { WritableStandardField } from '../../lib/contracts/steps';
import type { Cause } from '../domain/contacts';
import type { MessageAuthor } from '../domain/conversations';
import type { Cancellation } from '../outbound/call';
import type { Services } from '../services';
import type { Executor } from '../store/database';
import type { ConnectionsTable } from '../store/schema';

/**
 * Connectors carry a conversation that lives outside the companion (DESIGN §12). A connector is
 * one file per kind of connection (`whatsapp`, `messenger`, `chatwoot`), registered below; steps
 * and the inbox ask `connectorFor(conversation)` and fall back to the built-in behaviour when a
 * conversation has no connection. Every method is optional: a channel (Meta) delivers messages,
 * an inbox (Chatwoot) also carries notes, labels, attributes, assignment and status.
 *
 * Each call receives an idempotency key (run id + step id for steps; for the inbox's replies
 * `inbox:` + the request's Idempotency-Key, else a fresh id); a connector that cannot make the outside call idempotent records its attempt first,
 * so a retry after a crash never repeats a send (the stored outside id is the proof).
 */
export interface ConnectorCall {
  services: Services;
  connection: ConnectionsTable;
  conversation: Conversation & { connectionId: string; externalId: string | null };
  idempotencyKey: string;
  /** Adds a line to the run's step log (the outside call and its answer). */
  note(message: string): void;
  /** Who causes the mirrored local change (a step: source workflow, one loop level deeper). */
  cause?: Cause;
  /** A step's `ctx.once`: the outside effect at most once per idempotency key. */
  once?: <R>(fn: () => Promise<R>) => Promise<R>;
  /** Who wrote the messages it mirrors locally: a step's workflow (id and name), or the inbox's agent. */
  author?: MessageAuthor & { type: 'workflow' | 'user' | 'app' };
  /** A step's run cancel: the outside request in flight is dropped and no further attempt starts. */
  cancellation?: Cancellation;
}

/**
 * A step's write of the contact itself where it lives outside (Chatwoot's contacts) while no
 * conversation of that connection is open: as a ConnectorCall, without a conversation.
 */
export type ContactCall = Omit<ConnectorCall, 'connection' | 'conversation' | 'author'> & { contactId: string };
/** One of the contact's own fields (names, email, phone; null clears email or phone), or a custom field. */
export type ContactFieldWrite = { standard: WritableStandardField; value: string | null } | { field: string; value: FieldValue };

/** What a connector did: the step log's output (the outside call and its answer included). */
export type ConnectorOutput = Record<string, unknown>;

/**
 * Steps call these when the conversation lives in a connection whose connector has them (see
 * server/engine/steps/via-connector.ts); a missing method means the step acts locally. Each
 * method performs the outside call and mirrors its effect locally (message, tags, field,
 * assignment, status), so the inbox's echo of the change starts nothing twice.
 */
export interface Connector {
  kind: string;
  sendMessage?(call: ConnectorCall, input: { text: string }): Promise<ConnectorOutput>;
  addNote?(call: ConnectorCall, input: { text: string }): Promise<ConnectorOutput>;
  changeTags?(call: ConnectorCall, input: { action: 'add' | 'remove'; tags: string[] }): Promise<ConnectorOutput>;
  setField?(call: ConnectorCall, input: { field: string; value: FieldValue }): Promise<ConnectorOutput>;
  /** The contact's own name, email or phone (null clears email or phone), on both sides or on neither. */
  setStandardField?(call: ConnectorCall, input: { field: WritableStandardField; value: string | null }): Promise<ConnectorOutput>;
  assign?(call: ConnectorCall, input: { userId: string | null }): Promise<ConnectorOutput>;
  /** Of these users, who cannot be given this conversation there, and why (a list's pick skips them). */
  cannotTake?(call: ConnectorCall, input: { userIds: readonly string[] }): Promise<Map<string, string>>;
  /** The inbox's own team (Chatwoot's teams); the built-in inbox has none. */
  assignTeam?(call: ConnectorCall, input: { teamId: number }): Promise<ConnectorOutput>;
  close?(call: ConnectorCall, input: { category: string | null; summary: string | null }): Promise<ConnectorOutput>;
  /** Reopens the contact's latest conversation in that connection (the step found none open). */
  reopen?(call: ConnectorCall): Promise<ConnectorOutput>;
  /**
   * The contact lives in one of this kind's connections, conversation or not (Chatwoot's
   * channel_identities): a step writing its fields with no such conversation open must reach it.
   * A plain answer when it needs no statement (no account connected): a run round asks per step.
   */
  holdsContact?(db: Executor, contactId: string): boolean | Promise<boolean>;
  /** That write, there first and then here; undefined when the contact lives in none of them (the step writes locally). */
  setContactField?(call: ContactCall, input: ContactFieldWrite): Promise<ConnectorOutput | undefined>;
}

const connectors = new Map<string, Connector>();

export function registerConnector(connector: Connector) {
  connectors.set(connector.kind, connector);
}

export function connectorOfKind(kind: string): Connector | undefined {
  return connectors.get(kind);
}

/**
 * Whether the contact lives in some connection apart from any conversation: plain when every
 * connector answers plainly (none connected), so the run round's `outside` test stays plain.
 */
export function heldByAConnector(db: Executor, contactId: string): boolean | Promise<boolean> {
  const answers: (boolean | Promise<boolean>)[] = [];
  for (const c of connectors.values()) if (c.holdsContact && c.setContactField) answers.push(c.holdsContact(db, contactId));
  if (answers.every((a) => typeof a === 'boolean')) return answers.includes(true);
  return Promise.all(answers).then((held) => held.includes(true));
}

/** The connectors in one of whose connections the contact lives, apart from any conversation. */
export async function connectorsHoldingContact(db: Executor, contactId: string): Promise<Connector[]> {
  const holding: Connector[] = [];
  for (const c of connectors.values()) if (c.holdsContact && c.setContactField && await c.holdsContact(db, contactId)) holding.push(c);
  return holding;
}
