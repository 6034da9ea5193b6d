import { sql } from 'kysely';
import { dirtyContactsCte, flushContacts } from '../../domain/contacts';
import { flushPendingEvents, pendingEventsCte } from '../../events/recorder';
import type { UnitOfWork } from '../../events/unit-of-work';
import { runShaped } from '../../store/compiled-sql';
import { unblockNextOfPairsCte } from './run-queue';

/**
 * PostgreSQL, the end of a queued round: its contacts written, the next runs of the pairs it
 * released unblocked, and its events inserted, in ONE statement (data-modifying CTEs; three
 * tables, no row touched twice) instead of three round trips. Returns how many runs it released.
 */
export async function finishRoundPostgres(uow: UnitOfWork, release: readonly { id: string; workflowId: string; contactId: string }[]): Promise<number> {
  const contacts = dirtyContactsCte(uow);
  const unblock = release.length > 0 ? unblockNextOfPairsCte(release) : undefined;
  const events = pendingEventsCte(uow);
  const parts = [contacts, unblock, events].filter((p) => p !== undefined);
  let released = 0;
  if (parts.length > 0) {
    const shape = `finishRound:${contacts?.count ?? 0}:${release.length}:${events?.count ?? 0}`;
    const [row] = await runShaped(uow.trx, shape, parts.flatMap((p) => p.params), () => sql<{ released: number }>`
      WITH ${sql.join(parts.map((p) => p.sql))}
      SELECT ${unblock ? sql`(SELECT count(*) FROM released)` : sql`0`}::int AS released`);
    released = Number(row?.released ?? 0);
  }
  // Whatever one statement could not take (a very large round), as before.
  await flushContacts(uow);
  await flushPendingEvents(uow);
  return released;
}
