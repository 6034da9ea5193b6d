import type { Conversation } from '../../lib/contracts/conversations';
import type { UnitOfWork } from '../events/unit-of-work';
import type { Services } from '../services';
import { notFound } from '../http-error';
import { sql } from 'kysely';
import { runShaped } from '../store/compiled-sql';
import type { Executor } from '../store/database';
import { toConversation } from './conversation-rows';

// Reading conversations, and keeping what has read them in step with a write: a run round's
// copies of its contacts' open conversations (uow.reads: a round's steps mostly touch the same
// few), and the inbox pages that show them (live).

export async function getConversation(db: Executor, id: string): Promise<Conversation> {
  const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Conversation ${id}`);
  return toConversation(row);
}

export async function findOpenConversation(db: Executor, contactId: string): Promise<Conversation | undefined> {
  // 'open' as a literal: bound, it would make SQLite re-plan the statement on every call (the
  // one-open-per-contact index is partial on it), ~6 µs each.
  const [row] = await runShaped(db, 'openConversationOf', [contactId], () =>
    db.selectFrom('conversations').selectAll().where('contact_id', '=', contactId).where('status', '=', sql.lit('open')));
  return row && toConversation(row);
}

/** findOpenConversation, remembered per contact for the rest of a run round (uow.reads) until a conversation is written. */
export async function openConversationIn(uow: UnitOfWork, contactId: string): Promise<Conversation | undefined> {
  const cache = uow.reads?.openConversations;
  if (!cache) return findOpenConversation(uow.trx, contactId);
  if (cache.has(contactId)) return cache.get(contactId) ?? undefined;
  const found = await findOpenConversation(uow.trx, contactId);
  cache.set(contactId, found ?? null);
  return found;
}

/**
 * A conversation a run round has read already (its contact's open one, uow.reads), or undefined.
 * The round's own writes keep its copies as written (remember) or forget them
 * (conversationWritten), so this is what the round would read again.
 */
export function conversationIn(uow: UnitOfWork, id: string): Conversation | undefined {
  for (const c of uow.reads?.openConversations.values() ?? []) if (c?.id === id) return c;
  return undefined;
}

/** The open conversations of many contacts in one statement, remembered for the run round (uow.reads). */
export async function prefetchOpenConversations(uow: UnitOfWork, contactIds: readonly string[]): Promise<void> {
  const cache = uow.reads?.openConversations;
  if (!cache) return;
  const ids = [...new Set(contactIds)].filter((id) => !cache.has(id));
  if (ids.length === 0) return;
  const rows = await runShaped(uow.trx, `openConversationsOf:${ids.length}`, ids, () =>
    uow.trx.selectFrom('conversations').selectAll().where('contact_id', 'in', ids).where('status', '=', sql.lit('open')));
  for (const id of ids) cache.set(id, null);
  for (const row of rows) cache.set(row.contact_id, toConversation(row));
}

/** `$trigger.channel` of a conversation kept here rather than in a connection. */
export const BUILT_IN = 'built_in';

/** Where a conversation lives, as triggers name it: `built_in` or its connection's kind. */
export async function channelOf(db: Executor, c: { connectionId: string | null }): Promise<string> {
  if (!c.connectionId) return BUILT_IN;
  const row = await db.selectFrom('connections').select('kind').where('id', '=', c.connectionId).executeTakeFirst();
  return row?.kind ?? BUILT_IN;
}

/**
 * Call right after writing a conversation through a unit of work (before recording its event:
 * the dispatcher looks the open conversation up too): a run round forgets what it remembered.
 */
export const conversationWritten = (uow: UnitOfWork) => uow.reads?.openConversations.clear();

/**
 * A conversation written through the unit of work, known as it now is: a run round's copy of the
 * contact's open conversation follows it (the conversation, or null once closed: one open per
 * contact) instead of every copy being forgotten, after which each later step of every run of
 * the round read its own again. Undefined (the write found the row changed by someone else):
 * forgets them all, as conversationWritten.
 */
export function remember(uow: UnitOfWork, contactId: string, id: string, now: Conversation | null | undefined) {
  const cache = uow.reads?.openConversations;
  if (!cache) return;
  if (now === undefined) cache.clear();
  else if (now === null || now.status !== 'open') { if (cache.get(contactId)?.id === id) cache.set(contactId, null); }
  else cache.set(contactId, now);
}

/** After a conversation's write commits (never for one rolled back): the inbox pages showing it refresh. */
export const publishChanged = (uow: UnitOfWork, services: Services, c: { id: string; contactId: string }) =>
  uow.afterCommit(() => services.live.publish({ type: 'conversation.changed', conversationId: c.id, contactId: c.contactId }));
