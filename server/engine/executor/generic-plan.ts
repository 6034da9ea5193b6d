import { sql } from 'kysely';
import type { Executor } from '../../store/database';
import { DEFERRED } from '../../store/pg-prepared';

const GENERIC = sql.raw(`${DEFERRED}SET LOCAL plan_cache_mode = force_generic_plan`);
const AS_BEFORE = sql.raw(`${DEFERRED}SET LOCAL plan_cache_mode TO DEFAULT`);

/**
 * PostgreSQL, inside a round's transaction: `statement` runs on its prepared statement's generic
 * plan, made once per connection, instead of a plan made for each call. A round's statements take
 * their pairs as arrays, and PostgreSQL sizes an array it is given (one pair: one row) but guesses
 * ten rows for a parameter; the generic plan then always looked costlier, and the take and the
 * release were planned on most calls (one contact's burst of 22,000 runs, pg_stat_statements with
 * track_planning: 124-148 plans of the take in 120-143 rounds, 0.7 ms each, 1.4 under load; the
 * release 0.3-0.4 ms, 2.1 under load, five times its run): 110-138 ms per burst, 16-24 ms after.
 * Only for statements whose every read is bounded by its shape, whatever the statistics (see
 * inPair). The two SETs go out with the statements next to them (DEFERRED): no round trip.
 */
export async function withGenericPlan<T>(trx: Executor, statement: () => Promise<T>): Promise<T> {
  await GENERIC.execute(trx);
  const result = await statement();
  await AS_BEFORE.execute(trx);
  return result;
}
