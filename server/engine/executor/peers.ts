import { sql } from 'kysely';
import type { Executor } from '../../store/database';

/** This instance's share of the queue heads: contacts whose hash is `slot` modulo `of`. */
export interface Partition { slot: number; of: number }

/** How often an instance says it is alive, and after how long without a word it is counted out. */
export const PEER_BEAT_MS = 1_000;
export const PEER_STALE_MS = 5_000;
/** Rows of instances gone this long are deleted (a crashed instance never deletes its own). */
const PEER_FORGET_MS = 10 * 60_000;

// The database's clock, so that instances with clocks apart still agree on who is alive.
const NOW_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/**
 * PostgreSQL: the instances that said within PEER_STALE_MS that they execute runs on this
 * database (npm run forget-secrets refuses while one runs: it still holds the key).
 */
export async function liveInstances(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`SELECT id FROM engine_peers WHERE seen_ms > ${NOW_MS} - ${PEER_STALE_MS} ORDER BY id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * PostgreSQL: the instances executing runs on one database, each knowing its place among the
 * live ones. With two or more, each prefers the queue heads of its own share of the contacts
 * (a run's pair is one contact's, so shares never split a pair): two instances picking the oldest
 * heads at once read the same rows, passed over each other's and marked each other's runs
 * blocked. The share is only a preference: an instance whose share has nothing runnable takes
 * any head, and the row locks still decide who runs what, so a stale view (an instance joined or
 * died within the last few seconds) costs some of that contention, never a run.
 */
export class Peers {
  private current: Partition | undefined;
  private beats = 0;

  constructor(private readonly db: Executor, readonly id: string, private readonly staleMs = PEER_STALE_MS) {}

  /** This instance's share, or undefined when it is alone (or has not heard of itself yet). */
  get partition(): Partition | undefined {
    return this.current && this.current.of > 1 ? this.current : undefined;
  }

  /** Whether, at the last beat, no other instance was executing runs (false before the first beat). */
  get alone(): boolean {
    return this.current?.of === 1;
  }

  /** Says this instance is alive and reads who else is. */
  async beat(): Promise<Partition | undefined> {
    await sql`INSERT INTO engine_peers (id, seen_ms) VALUES (${this.id}, ${NOW_MS})
      ON CONFLICT (id) DO UPDATE SET seen_ms = excluded.seen_ms`.execute(this.db);
    if (this.beats++ % 60 === 0) await sql`DELETE FROM engine_peers WHERE seen_ms < ${NOW_MS} - ${PEER_FORGET_MS}`.execute(this.db);
    const { rows } = await sql<{ id: string }>`SELECT id FROM engine_peers WHERE seen_ms > ${NOW_MS} - ${this.staleMs} ORDER BY id`.execute(this.db);
    const slot = rows.findIndex((r) => r.id === this.id);
    this.current = slot < 0 ? undefined : { slot, of: rows.length };
    return this.partition;
  }

  /** Leaves at once (a stopping instance): the others take its share at their next beat. */
  async leave(): Promise<void> {
    this.current = undefined;
    await sql`DELETE FROM engine_peers WHERE id = ${this.id}`.execute(this.db);
  }
}
