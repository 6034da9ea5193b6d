import { inTransaction } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import { IMPORTED_NOTE } from '../../engine/dispatch/dispatcher';
import type { Services } from '../../services';
import { repeatAfterEach } from '../../periodic';
import { HttpError } from '../../http-error';
import { forgottenText } from '../../secrets/forgotten';
import { closeConversation } from '../../domain/conversations';
import { ChatwootApiError } from './api';
import { applyRead } from './apply-read';
import { apiFor, getConnection, listConnections, provideBotLater, setSyncState, type ChatwootConnection } from './connections';
import { listInboxes, placeOf } from './inboxes';
import { lockMirror, type MirrorContext } from './mirror-contact';
import { latestMirror } from './mirror-conversation';
import { stampSeconds, type CwConversation } from './payloads';
import { retryOwedUnassigns } from './unassign-later';

const PAGE_SIZE = 25; // Kaminari's default page size, used by ConversationFinder (app/finders/conversation_finder.rb)
const MAX_PAGES = 20;
/** Clock skew and in-flight jobs: the window looks this far back past the last sync. */
const OVERLAP_SECONDS = 300;

export interface SyncOutcome {
  conversations: number; contacts: number; repaired: number;
  /** What the pass could not copy as it is (an attribute a field refuses) or closed because Chatwoot deleted it. */
  notes: string[];
}
const MAX_NOTES = 20;
const running = new Map<string, Promise<SyncOutcome>>();

/**
 * One pass over the REST API repairing what a lost delivery missed (Chatwoot does not retry
 * webhooks, FACTS §1): every open conversation, every conversation active since the last sync
 * (minus an overlap), and every conversation the companion still has open for this account.
 * The account's first successful pass is its import: what was there before it was connected is
 * mirrored without firing triggers (import-rule.ts).
 * Each is applied like a webhook (older states never win), with its contact's attributes and its
 * last message. A label or attribute changed on a conversation that is resolved, inactive and
 * closed here too is not seen (the list API has no "updated since").
 */
export function reconcileAccount(services: Services, id: string): Promise<SyncOutcome> {
  const current = running.get(id);
  if (current) return current;
  const pass = (async () => {
    const conn = await getConnection(services, id);
    // Its token forgotten with a lost secret key (forget-secrets): nothing to ask Chatwoot, and the
    // account already says what to do. A conflict with the account's state, not Chatwoot failing
    // (502), and left out of its sync state so the account keeps saying it in those words.
    if (!conn.secrets.apiAccessToken) throw new HttpError(409, 'chatwoot_token_forgotten', forgottenText.chatwoot);
    const startedAt = nowIso();
    try {
      // First what a deactivation still owes Chatwoot (unassign-later.ts): the pass then reads it done.
      const unassigned = await retryOwedUnassigns(services, conn);
      const outcome = await reconcile(services, conn);
      await setSyncState(services.db, id, { lastSyncedAt: startedAt, error: null });
      return { ...outcome, notes: [...unassigned, ...outcome.notes].slice(0, MAX_NOTES) };
    } catch (err) {
      await setSyncState(services.db, id, { error: `Sync failed: ${(err as Error).message}` });
      throw err;
    }
  })().finally(() => running.delete(id));
  running.set(id, pass);
  return pass;
}

async function reconcile(services: Services, connected: ChatwootConnection): Promise<SyncOutcome> {
  const conn = await provideBotLater(services, connected);
  const api = apiFor(services, conn);
  const found = new Map<number, CwConversation>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const list = await api.conversations('open', page);
    for (const c of list) found.set(c.id, c);
    if (list.length < PAGE_SIZE) break;
  }
  const since = conn.row.last_synced_at ? Date.parse(conn.row.last_synced_at) / 1000 - OVERLAP_SECONDS : null;
  for (let page = 1; page <= (since === null ? 1 : MAX_PAGES); page++) {
    const list = await api.conversations('all', page);
    for (const c of list) found.set(c.id, c);
    const oldest = stampSeconds(list.at(-1)?.timestamp ?? list.at(-1)?.updated_at);
    if (list.length < PAGE_SIZE || (since !== null && oldest !== null && oldest < since)) break;
  }
  const failures: string[] = [];
  const notes: string[] = [];
  const openHere = await services.db.selectFrom('conversations').select('external_id')
    .where('connection_id', '=', conn.row.id).where('status', '=', 'open').execute();
  const deleted: number[] = [];
  for (const { external_id } of openHere) {
    const displayId = Number(external_id);
    if (!found.has(displayId)) {
      try {
        found.set(displayId, await api.conversation(displayId));
      } catch (err) {
        // Chatwoot deletes conversations outright (no webhook, FACTS §1): its 404 to an
        // administrator's token means it is gone, and it must not stay open here for good.
        if (err instanceof ChatwootApiError && err.reason === 'not_found') deleted.push(displayId);
        else failures.push(`conversation ${displayId} could not be read: ${(err as Error).message}`);
      }
    }
  }
  for (const displayId of deleted) notes.push(...await closeDeleted(services, conn, displayId));

  // Names of the account's inboxes as they are now (a rename shows at the next sync).
  await listInboxes(services, conn).catch((err: unknown) => services.log.warn({ err, connection: conn.row.id }, 'Chatwoot inboxes could not be read'));
  const before = await lastEventId(services);
  const contacts = new Set<number>();
  for (const conv of found.values()) {
    contacts.add(conv.meta.sender.id);
    const place = await placeOf(services, conn, conv);
    await inTransaction(services.db, async (uow) => {
      const ctx: MirrorContext = { uow, services, conn, notes: [] };
      await lockMirror(ctx);
      await applyRead(ctx, conv, place);
      // A webhook's notes answer its delivery; a sync's are told to whoever pressed Sync now, and logged.
      if (ctx.notes.length) {
        services.log.info({ connection: conn.row.id, displayId: conv.id, notes: ctx.notes }, 'Chatwoot sync notes');
        notes.push(...ctx.notes.map((n) => `Conversation ${conv.id}: ${n}`));
      }
    }).catch((err: unknown) => {
      // One conversation that cannot be applied must not hold back the others.
      services.log.warn({ err, displayId: conv.id }, 'Chatwoot reconcile: a conversation could not be applied');
      failures.push(`conversation ${conv.id}: ${(err as Error).message}`);
    });
  }
  if (failures.length) throw new Error(`${failures.length} conversation(s) could not be applied (${failures.slice(0, 3).join('; ')}); the next pass tries again`);
  // What was imported (there before the account was connected) is mirrored, not repaired.
  const repaired = await services.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', '>', before).where((eb) => eb.or([eb('note', 'is', null), eb('note', 'not like', `${IMPORTED_NOTE}%`)])).executeTakeFirstOrThrow();
  return { conversations: found.size, contacts: contacts.size, repaired: Number(repaired.n), notes: notes.slice(0, MAX_NOTES) };
}

/**
 * A conversation open here that Chatwoot no longer has: closed with reason `deleted_in_chatwoot`,
 * which starts no Conversation Closed workflow (nobody resolved it; a survey or follow-up to a
 * conversation deleted as spam would be wrong) and which the inbox shows.
 */
async function closeDeleted(services: Services, conn: ChatwootConnection, displayId: number): Promise<string[]> {
  return inTransaction(services.db, async (uow) => {
    const ctx = { uow, services, conn };
    await lockMirror(ctx);
    const row = await latestMirror(ctx, displayId);
    if (row?.status !== 'open') return [];
    await closeConversation(uow, services, row.id, { reason: 'deleted_in_chatwoot' }, { source: 'user' });
    return [`Conversation ${displayId} was deleted in Chatwoot; closed here (${row.id})`];
  });
}

async function lastEventId(services: Services) {
  const row = await services.db.selectFrom('events').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? '';
}

/**
 * CHATWOOT_SYNC_SECONDS (default 300; 0 turns it off) after the last pass ended, each connected
 * account is reconciled, one after the other.
 */
export function startChatwootSync(services: Services) {
  repeatAfterEach(services, services.config.chatwootSyncSeconds * 1000, async () => {
    for (const c of await listConnections(services, services.db)) {
      if (!c.secrets.apiAccessToken) continue; // forgotten: waits for a new token (above)
      await reconcileAccount(services, c.row.id).catch((err: unknown) => services.log.warn({ err, connection: c.row.id }, 'Chatwoot sync failed'));
    }
  }, (err) => services.log.warn({ err }, 'Chatwoot sync failed'));
}
