import { sql } from 'kysely';
import { prefetchContacts, toContact } from '../../domain/contacts';
import { prefetchOpenConversations, toConversation } from '../../domain/conversations';
import type { UnitOfWork } from '../../events/unit-of-work';
import { runShaped } from '../../store/compiled-sql';
import type { ContactsTable, ConversationsTable, RunsTable } from '../../store/schema';
import { withGenericPlan } from './generic-plan';
import { inPairOrder, nextOfPairs, pairKey } from './run-queue';

/**
 * A run round's contacts and their open conversations, read before its steps run. On
 * PostgreSQL in ONE statement (the contacts locked, RoundReads.lock; each one's open
 * conversation, at most one, beside it): two statements were two round trips per round.
 */
export async function prefetchRound(uow: UnitOfWork, contactIds: readonly string[]): Promise<void> {
  const reads = uow.reads;
  if (!reads?.lock) {
    await prefetchContacts(uow, contactIds);
    await prefetchOpenConversations(uow, contactIds);
    return;
  }
  const ids = [...new Set(contactIds)].filter((id) => !uow.written?.has(id) && !reads.contacts.has(id) && !reads.openConversations.has(id)).sort();
  if (ids.length === 0) return;
  // The ids as one array: one text whatever their count, so one prepared statement and plan.
  remember(uow, ids, await runShaped(uow.trx, 'contactsWithOpenConversation', [ids], () => lockedContacts(ids)));
}

type ContactRow = ContactsTable & { open_conversation: ConversationsTable | null };

/** PostgreSQL: the contacts locked in id order, each with its open conversation (at most one) beside it. */
const lockedContacts = (ids: readonly string[]) => sql<ContactRow>`
    SELECT c.*, to_jsonb(cv) AS open_conversation FROM contacts c
    LEFT JOIN LATERAL (SELECT * FROM conversations WHERE contact_id = c.id AND status = 'open' LIMIT 1) cv ON true
    WHERE c.id = ANY(${ids}::text[]) ORDER BY c.id FOR UPDATE OF c`;

/** What the round read of `ids`: each contact, and its open conversation or none. */
function remember(uow: UnitOfWork, ids: readonly string[], rows: readonly ContactRow[]) {
  const reads = uow.reads!;
  for (const id of ids) reads.openConversations.set(id, null);
  for (const { open_conversation: open, ...contact } of rows) {
    reads.contacts.set(contact.id, toContact(contact));
    if (open?.id) reads.openConversations.set(contact.id, toConversation(open));
  }
}

/** The next runs of the heads' pairs a PostgreSQL queued round takes with its contacts (see prefetchRoundTaking). */
export interface TakeAhead { heads: readonly RunsTable[]; limit: number }

/** A pair's run that ended: its pair's next runs come after it. */
export interface PairTail { id: string; workflowId: string; contactId: string }

/** What a round took with its contacts, and the pairs not worth asking again (see prefetchRoundTaking). */
export interface Taken { runs: RunsTable[]; spent: Set<string> }

/**
 * PostgreSQL queued rounds: prefetchRound, and in the same statement the next runs of the heads'
 * pairs (takeNextOfPairs after each head, as if every head will end): a round trip less per round
 * for a backlog, whose heads' next runs were taken after the first pass (one contact's round was
 * pick, contacts, next runs, commit). Locked in the order the two statements took them: the
 * contacts (by id), then the runs. Pairs whose head does not end drop theirs (advanceChains
 * advances a run only after the one before it ended); those stay queued, their lock goes with the commit.
 * `spent`: the pairs that got less than their share (nothing more queued, or a run someone else
 * holds next), whose next runs are not worth asking for again in this round.
 */
export async function prefetchRoundTaking(uow: UnitOfWork, { heads, limit }: TakeAhead): Promise<Taken> {
  const reads = uow.reads;
  const ids = [...new Set(heads.map((r) => r.contact_id))].filter((id) => !uow.written?.has(id) && !reads?.contacts.has(id) && !reads?.openConversations.has(id)).sort();
  if (!reads?.lock || ids.length === 0 || limit <= 0) {
    await prefetchRound(uow, ids);
    return { runs: [], spent: new Set() };
  }
  const tails = new Map<string, PairTail>();
  for (const r of heads) {
    const key = pairKey(r.workflow_id, r.contact_id);
    const seen = tails.get(key);
    if (!seen || r.id > seen.id) tails.set(key, { id: r.id, workflowId: r.workflow_id, contactId: r.contact_id });
  }
  return takeWithContacts(uow, ids, [...tails.values()], limit);
}

/**
 * PostgreSQL: a round that goes on with pairs the round before it left at its budget (their last
 * run ended there, more were queued): no pick, the same statement as prefetchRoundTaking with
 * those runs as the tails. Made after that round committed, so every read is of what it wrote.
 */
export async function prefetchRoundFollowing(uow: UnitOfWork, { after, limit }: { after: readonly PairTail[]; limit: number }): Promise<Taken> {
  const ids = [...new Set(after.map((p) => p.contactId))].sort();
  if (!uow.reads?.lock || ids.length === 0 || limit <= 0) return { runs: [], spent: new Set() };
  return takeWithContacts(uow, ids, after, limit);
}

async function takeWithContacts(uow: UnitOfWork, ids: readonly string[], after: readonly PairTail[], limit: number): Promise<Taken> {
  const share = Math.ceil(limit / after.length);
  // The runs come as rows (as JSON they cost PostgreSQL twice the take's time), the contacts as
  // JSON on the first of them (or on a row of their own when no run comes). Contacts are locked
  // before runs: a join with no join clause is a nested loop, whose outer side (cj) is read first.
  // Planned once per connection (generic-plan.ts): every read in it is bounded by its shape.
  const { rows } = await withGenericPlan(uow.trx, () => sql<RunsTable & { rank: number; contacts: ContactRow[] | null }>`
    WITH c AS (${lockedContacts(ids)}), cj AS MATERIALIZED (SELECT coalesce(json_agg(c ORDER BY c.id), '[]') AS contacts FROM c),
    t AS (${nextOfPairs(after, limit, share)})
    SELECT CASE WHEN row_number() OVER (ORDER BY t.id) = 1 THEN cj.contacts END AS contacts, t.*
    FROM cj LEFT JOIN t ON true ORDER BY t.id`.execute(uow.trx));
  remember(uow, ids, rows[0]?.contacts ?? []);
  const runs = inPairOrder(rows.filter((r) => r.id !== null).map(({ contacts: _, ...run }) => run));
  const got = new Map<string, number>();
  for (const r of runs) { const key = pairKey(r.workflow_id, r.contact_id); got.set(key, (got.get(key) ?? 0) + 1); }
  return { runs, spent: new Set(after.map((p) => pairKey(p.workflowId, p.contactId)).filter((key) => (got.get(key) ?? 0) < share)) };
}
