import type { Insertable, Transaction } from 'kysely';
import type { Contact, FieldDefinition } from '../../lib/contracts/contacts';
import type { Conversation } from '../../lib/contracts/conversations';
import type { IndexedWorkflow } from '../engine/dispatch/trigger-index';
import type { Db, Dialect } from '../store/database';
import type { ContactsTable, DB, EventsTable } from '../store/schema';
import type { DomainEvent } from '../../lib/contracts/events';
import type { EventInput } from './recorder';

/** A transaction plus work to do only once it has committed (wake workers, notify clients). */
export interface UnitOfWork {
  trx: Transaction<DB>;
  afterCommit(fn: () => void): void;
  /**
   * Contacts as this transaction last changed them (updateContact, changeTags). The transaction
   * holds their rows (SQLite: the one writer; PostgreSQL: the row lock, taken when a round reads
   * them) until it ends, so a later step of a run round reads them from here instead of the
   * database; a round writes them at its end (dirtyContacts).
   */
  written?: Map<string, Contact>;
  /**
   * Set by a run round: recorded events are collected here and inserted together (one multi-row
   * insert per round instead of one per event) before the round commits. Nothing reads the
   * events table inside a round, and a rollback drops them with everything else.
   */
  pendingEvents?: Insertable<EventsTable>[];
  /** Set by a run round: reads its steps would repeat, kept until it commits (RoundReads). */
  reads?: RoundReads;
  /**
   * Set by a run round: contacts whose row is written once, at the round's end (flushContacts),
   * with every change its steps made (id → updated_at). Their state meanwhile is `written`.
   */
  dirtyContacts?: Map<string, string>;
  /**
   * Set by a caller that records many events in one transaction outside a run round (a contact
   * import): the workflows listening, looked up once per trigger and keys (RoundReads.listeners).
   */
  listeners?: Map<string, IndexedWorkflow[]>;
  /** Set by a caller that answers with the runs its transaction started (Meta's webhook): each recorded event's runs are added. */
  startedRuns?: string[];
  /**
   * Set by a part of a contact import (import-contacts.ts): the contacts it creates are collected
   * here and inserted together, and those it changes are marked in dirtyContacts, phone and email
   * too, and written together; a row the database refuses sends the part row by row.
   */
  newContacts?: ContactsTable[];
  /**
   * Set with newContacts: events are kept here in order and recorded once the part's contacts are
   * written, the workflows listening looked up for all of them at once (the runs they start name the contacts).
   */
  heldEvents?: { event: DomainEvent; input: EventInput }[];
}

/**
 * What a run round's steps read again and again (each step of each run looked up its contact, the
 * contact's open conversation, the field definitions and the workflows listening for the events it
 * recorded). Steps never define fields, settings or users, nor publish workflows, so those
 * stay true for the round;
 * a conversation written through the unit of work clears `openConversations` (conversations.ts).
 */
export interface RoundReads {
  /** Contacts as read (prefetched for the round's runs); `written` comes first. Merging contacts drops both. */
  contacts: Map<string, Contact>;
  /**
   * PostgreSQL: contacts are read FOR UPDATE (in id order: rounds never wait on each other in a
   * circle), so nobody changes one between the round reading it and writing it.
   */
  lock: boolean;
  fields?: FieldDefinition[];
  /** Settings by key (settingIn: lifecycle stages, closing categories). */
  settings: Map<string, unknown>;
  /** Users looked up (assignments): each one's name and whether active, null when there is none such. */
  users: Map<string, { name: string; active: boolean } | null>;
  openConversations: Map<string, Conversation | null>;
  /** By trigger type and keys. */
  listeners: Map<string, IndexedWorkflow[]>;
}

export const roundReads = (dialect: Dialect): RoundReads => ({ contacts: new Map(), lock: dialect === 'postgres', openConversations: new Map(), listeners: new Map(), users: new Map(), settings: new Map() });

export async function inTransaction<T>(db: Db, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await db.transaction().execute((trx) => fn({ trx, afterCommit: (cb) => callbacks.push(cb) }));
  for (const cb of callbacks) {
    try { cb(); } catch { /* a notification failing must not undo a committed change */ }
  }
  return result;
}
