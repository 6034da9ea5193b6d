import { sql } from 'kysely';
import { repeatAfterEach } from '../../periodic';
import type { Services } from '../../services';
import type { Db } from '../../store/database';

/**
 * PostgreSQL: keeps the planner's picture of the unfinished runs near the truth. Autovacuum
 * analyzes `runs` while the database is quiet, every run ended, so runs_unfinished (migration 088)
 * looks empty; a burst's backlog then goes unseen until the next autoanalyze (a minute away at
 * best, and only once a tenth of the table has changed), and the queue's reads are planned for
 * none: the take's stop checks, the claim's waiting and lost-lease parts, the marks and the pick
 * read the whole backlog each time (bench/RESULTS.md, thirty-ninth session). Every few seconds an
 * instance that executes runs counts the unfinished runs (through that index, up to a bound) and
 * compares them with what the statistics hold (the index's reltuples); a backlog several times
 * larger gets `ANALYZE runs`, from one instance at a time (a transaction-scoped advisory lock).
 * A database never analyzed is left alone: without statistics the planner reads sizes from the
 * table's pages, which grow with the backlog.
 */

/** Below this many unfinished runs nothing is analyzed: a wrong plan over a few hundred costs little. */
export const ANALYZE_BACKLOG = 1_000;
/** How many times what the statistics hold the backlog must be. */
const ANALYZE_FACTOR = 4;
const ADVISORY_CLASS = 0x69637273; // 'icrs'

export type StatisticsReview = 'fine' | 'analyzed' | 'busy';

/** One look: analyzes `runs` when the unfinished runs outgrew what the statistics say. */
export async function reviewRunStatistics(db: Db): Promise<StatisticsReview> {
  const { rows } = await sql<{ unfinished: string; planned: number | null }>`
    SELECT (SELECT count(*) FROM (SELECT 1 FROM runs WHERE status = 'queued' OR status = 'running' OR status = 'waiting'
              LIMIT ${ANALYZE_BACKLOG * ANALYZE_FACTOR * 4}) AS u) AS unfinished,
           (SELECT reltuples FROM pg_class WHERE oid = to_regclass('runs_unfinished')) AS planned`.execute(db);
  const unfinished = Number(rows[0]?.unfinished ?? 0);
  const planned = rows[0]?.planned ?? -1;
  // reltuples -1: never analyzed (or vacuumed) since the index was built.
  if (planned < 0 || unfinished < ANALYZE_BACKLOG || unfinished <= ANALYZE_FACTOR * planned) return 'fine';
  return db.transaction().execute(async (trx) => {
    const { rows: got } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${ADVISORY_CLASS}, hashtext(current_schema())) AS ok`.execute(trx);
    if (!got[0]?.ok) return 'busy' as const;
    await sql`ANALYZE runs`.execute(trx);
    return 'analyzed' as const;
  });
}

/** Started with a PostgreSQL instance's worker; stops with the server. */
export function keepRunStatistics(services: Services, everyMs = 2_000): void {
  repeatAfterEach(services, everyMs, async () => {
    if (await reviewRunStatistics(services.db) === 'analyzed') services.log.debug('runs analyzed: the unfinished runs had outgrown their statistics');
  }, (err) => services.log.warn({ err }, 'checking the runs table\'s statistics failed'));
}
