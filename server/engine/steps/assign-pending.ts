import { FINAL_RUN_STATUSES } from '../../../lib/contracts/runs';
import type { UnitOfWork } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import type { StepContext } from './define';

/**
 * A pick not yet written as the conversation's assignee. With Chatwoot the step picks in one
 * short transaction, asks Chatwoot, and only then writes the local assignee: until then the
 * pick is held here (in the pick's transaction) and Least open counts it as the user's open
 * conversation, so a burst of runs spreads as one-at-a-time arrivals would, on every instance.
 * Only an `outside` step holds one: otherwise pick and assignment commit together.
 */
export async function holdPick(ctx: StepContext<'assign_to'>, uow: UnitOfWork, key: string, userId: string) {
  if (!ctx.outside) return;
  await uow.trx.insertInto('assign_pending').values({ key, run_id: ctx.run.id, user_id: userId, conversation_id: ctx.conversation?.id ?? null, created_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
}

/** The step is over (assigned, failed, or put off: a later try holds it again). */
export async function releasePick(ctx: StepContext<'assign_to'>, key: string) {
  if (!ctx.outside) return;
  await ctx.services.db.deleteFrom('assign_pending').where('key', '=', key).execute();
}

/**
 * Held picks per user. A run that ended without releasing (a crash, then a cancel) no longer
 * counts, nor one whose conversation already shows the user as assignee (counted as open there).
 */
export async function heldPicks(uow: UnitOfWork, userIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await uow.trx.selectFrom('assign_pending as p').select(['p.user_id', (eb) => eb.fn.countAll<number | string | bigint>().as('held')])
    .where('p.user_id', 'in', [...userIds])
    .where((eb) => eb.exists(eb.selectFrom('runs as r').select('r.id').whereRef('r.id', '=', 'p.run_id').where('r.status', 'not in', [...FINAL_RUN_STATUSES])))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('conversations as c').select('c.id').whereRef('c.id', '=', 'p.conversation_id').whereRef('c.assignee_id', '=', 'p.user_id'))))
    .groupBy('p.user_id').execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.held)]));
}
