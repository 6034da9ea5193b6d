import { z } from 'zod';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { fromJson, toJson, type Executor } from '../../store/database';
import { agentEmail } from './agents';
import { ChatwootApiError } from './api';
import { apiFor, type ChatwootConnection } from './connections';

/**
 * Unassigns a deactivation still owes Chatwoot (routes/users/chatwoot-unassign.ts): Chatwoot did
 * not take one for now (busy, down), so, as a workflow step Chatwoot put off is tried again later,
 * it is tried again at the start of each sync of the account (reconcile.ts: every
 * CHATWOOT_SYNC_SECONDS, and Sync now) until Chatwoot takes it or says the conversation is gone
 * (404), or nobody wants it any more: the agent was reactivated, or the conversation was assigned
 * again meanwhile (here, or in Chatwoot to someone else). Else Chatwoot kept it in the departed
 * agent's queue for good, and reopened it there when the customer wrote again.
 * Kept as a chatwoot_objects row of kind `unassign` per Chatwoot conversation: its companion_id is
 * the conversation's (erasing the contact takes it), and it stays with the account's other rows
 * while the account is disconnected (connecting it again takes them back).
 */
const KIND = 'unassign';
const Owed = z.object({ userId: z.string(), tries: z.number().int().nonnegative(), lastError: z.string().nullable() });
type Owed = z.infer<typeof Owed>;
/** One pass tries at most this many (oldest first); the rest wait for the next. */
const PER_PASS = 50;

export interface OwedAt { connectionId: string; displayId: string; conversationId: string }

/** Owed since a try Chatwoot did not take (`error` its words); a repeat for the same conversation replaces it. */
export async function oweUnassign(db: Executor, at: OwedAt, userId: string, error: string) {
  await save(db, at.connectionId, at.displayId, at.conversationId, { userId, tries: 1, lastError: error });
}

async function save(db: Executor, connectionId: string, displayId: string, conversationId: string | null, owed: Owed) {
  const values = { companion_id: conversationId, version: 0, state: toJson(owed), updated_at: nowIso() };
  await db.insertInto('chatwoot_objects').values({ connection_id: connectionId, kind: KIND, external_id: displayId, ...values })
    .onConflict((oc) => oc.columns(['connection_id', 'kind', 'external_id']).doUpdateSet(values)).execute();
}

const settle = (db: Executor, connectionId: string, displayId: string) =>
  db.deleteFrom('chatwoot_objects').where('connection_id', '=', connectionId).where('kind', '=', KIND).where('external_id', '=', displayId).execute();

/** `stop`: why the others are not tried in this pass (Chatwoot busy, down, the token refused): the sync's note says so. */
type Outcome = 'done' | 'kept' | { stop: string };

/** Tries what the account owes; answers the sync's notes (what it did, what Chatwoot still refuses). */
export async function retryOwedUnassigns(services: Services, conn: ChatwootConnection): Promise<string[]> {
  const rows = await services.db.selectFrom('chatwoot_objects').select(['external_id', 'companion_id', 'state'])
    .where('connection_id', '=', conn.row.id).where('kind', '=', KIND).orderBy('updated_at').limit(PER_PASS).execute();
  const notes: string[] = [];
  for (const row of rows) {
    const owed = Owed.safeParse(fromJson(row.state, null));
    const outcome = owed.success ? await tryOne(services, conn, row.external_id, row.companion_id, owed.data, notes) : 'done';
    if (outcome === 'done') await settle(services.db, conn.row.id, row.external_id);
    if (typeof outcome === 'object') {
      // The admin pressed Sync now because the page said it does it at once: say what is still owed, not nothing.
      const owedNow = await services.db.selectFrom('chatwoot_objects').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('connection_id', '=', conn.row.id).where('kind', '=', KIND).executeTakeFirstOrThrow();
      const n = Number(owedNow.n);
      notes.push(`${outcome.stop}: ${n === 1 ? '1 unassign' : `${n} unassigns`} owed, tried again at the next sync`);
      break;
    }
  }
  if (notes.length) services.log.info({ connection: conn.row.id, notes }, 'Chatwoot unassigns owed after deactivations');
  return notes;
}

async function tryOne(services: Services, conn: ChatwootConnection, displayId: string, conversationId: string | null, owed: Owed, notes: string[]): Promise<Outcome> {
  const { db } = services;
  const user = await db.selectFrom('users').select(['name', 'email', 'deactivated_at']).where('id', '=', owed.userId).executeTakeFirst();
  // Reactivated: the conversation may stay theirs.
  if (!user?.deactivated_at) return 'done';
  // Assigned here since (someone took it, or Chatwoot gave it to an active user): that stands.
  const latest = await db.selectFrom('conversations').select('assignee_id').where('connection_id', '=', conn.row.id)
    .where('external_id', '=', displayId).orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (latest?.assignee_id) return 'done';
  const api = apiFor(services, conn);
  try {
    // Chatwoot's assignee now: a webhook saying it changed there may have been lost.
    const assignee = (await api.conversation(Number(displayId))).meta.assignee;
    if (!assignee) return 'done';
    const email = assignee.email ?? await agentEmail(services, conn, assignee.id);
    if (email === undefined) return { stop: 'Chatwoot’s agents could not be read' }; // The next pass asks again.
    if (email?.toLowerCase() !== user.email.toLowerCase()) return 'done';
    await api.assign(Number(displayId), null);
    notes.push(`Conversation ${displayId}: unassigned in Chatwoot from ${user.name}, deactivated here (Chatwoot had put it off ${owed.tries === 1 ? 'once' : `${owed.tries} times`})`);
    return 'done';
  } catch (err) {
    // Deleted in Chatwoot: nobody has it there any more (the sync closes it here).
    if (err instanceof ChatwootApiError && err.reason === 'not_found') return 'done';
    const message = err instanceof Error ? err.message : String(err);
    await save(db, conn.row.id, displayId, conversationId, { ...owed, tries: owed.tries + 1, lastError: message });
    if (!(err instanceof ChatwootApiError)) {
      services.log.warn({ err, connection: conn.row.id, displayId }, 'an unassign owed to Chatwoot could not be tried');
      return 'kept';
    }
    // Busy, down, or the token refused (Settings → Chatwoot says so): the others would fare the same.
    if (err.reason === 'unreachable') return { stop: 'Chatwoot could not be reached' };
    if (err.reason === 'unauthorized') return { stop: 'Chatwoot refused the access token' };
    if (err.transient) return { stop: 'Chatwoot is still busy' };
    notes.push(`Conversation ${displayId}: still ${user.name}'s in Chatwoot though deactivated here: ${message}; tried again at the next sync`);
    return 'kept';
  }
}
