import type { Services } from '../../services';
import type { Executor } from '../../store/database';
import { KIND } from './connections';
import { identityChannel } from './mirror-contact';

/**
 * The identity channels (`chatwoot:<connection id>`) of the connected Chatwoot accounts, kept per
 * database. A run round asks for every step that writes a contact (via-contact.ts), and the
 * answer "no account" must stay a plain value there: no promise, no statement (step-start.ts,
 * runsOutside). Read once per transaction instead, it cost a round's transaction one statement,
 * and a woken Ask a Question (a round of its own) one per step.
 *
 * Forgotten when an account is connected or disconnected, on every instance and the executor
 * thread (`connections.changed`; pg-bridge.ts and thread-bridge.ts relay what a cache watches),
 * and after TTL_MS anyway, for a notice that was lost (PostgreSQL's LISTEN connection down
 * meanwhile): such a step then wrote here only for up to a minute. A list read while such a
 * change was announced is not kept.
 */
const TTL_MS = 60_000;
const kept = new WeakMap<object, { channels: readonly string[]; until: number }>();
let generation = 0;

// A database and its transactions share one adapter; another database (a test's) has its own.
const keyOf = (db: Executor): object => db.getExecutor().adapter;

/** The channels when known, without a statement; undefined when they must be read. */
export function knownAccountChannels(db: Executor, now = Date.now()): readonly string[] | undefined {
  const hit = kept.get(keyOf(db));
  return hit && hit.until > now ? hit.channels : undefined;
}

export async function accountChannels(db: Executor): Promise<readonly string[]> {
  const known = knownAccountChannels(db);
  if (known) return known;
  const seen = generation;
  const rows = await db.selectFrom('connections').select('id').where('kind', '=', KIND).execute();
  const channels = rows.map((c) => identityChannel(c.id));
  if (seen === generation) kept.set(keyOf(db), { channels, until: Date.now() + TTL_MS });
  return channels;
}

/** After connecting or disconnecting an account (committed): this thread forgets now, the others when they hear it. */
export function accountsChanged(services: Services) {
  forget(services.db);
  services.live.publish({ type: 'connections.changed', kind: KIND });
}

/** On every instance and thread (features.ts): a change made elsewhere counts here from the next step on. */
export function watchAccountChanges(services: Services) {
  const stop = services.live.watch('connections.changed', (m) => {
    if (m.type === 'connections.changed' && m.kind === KIND) forget(services.db);
  });
  services.onClose(stop);
}

function forget(db: Executor) {
  generation++;
  kept.delete(keyOf(db));
}
