import type { AssignPick } from '../../../lib/contracts/steps';
import type { UnitOfWork } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import { fromJson, toJson } from '../../store/database';
import { heldPicks, holdPick } from './assign-pending';
import type { StepContext } from './define';

/**
 * Who an Assign to step with a list assigns (respond.io's Assign To "assignment logic",
 * https://help.respond.io/l/en/workflows/step-assign-to: round-robin, each user in turn, or the
 * user with the least open contacts), decided here whatever inbox the conversation lives in (in
 * Chatwoot the connector then assigns that user's agent).
 */
export type Picked = {
  userId: string; name: string; reason: string;
  /** A round robin's turn as it was before this pick, to give it back if the assignment fails (givePickBack). */
  before?: { lastUserId: string | null; turnUserIds: string | null };
};
type Candidate = { id: string; name: string };

/**
 * The pick, recorded under the step's key in the same transaction as the turn it takes: a step
 * run again after a crash (an `outside` step commits this before it assigns) gets the same user
 * back rather than the next in turn, and the turn moved only once.
 */
export async function pickAssignee(ctx: StepContext<'assign_to'>, pick: Exclude<AssignPick, 'user' | 'team'>, userIds: readonly string[], refused: ReadonlyMap<string, string> = new Map()): Promise<Picked | { error: string }> {
  const key = `${ctx.idempotencyKey}:pick`;
  return ctx.db(async (uow) => {
    const done = await uow.trx.selectFrom('step_effects').select('result').where('key', '=', key).executeTakeFirst();
    if (done) {
      const earlier = fromJson<Picked>(done.result, { userId: '', name: '', reason: '' });
      ctx.note(`Picked before a restart: ${earlier.name} (${earlier.reason})`);
      await holdPick(ctx, uow, key, earlier.userId);
      return earlier;
    }
    const candidates = await assignable(ctx, uow, userIds, refused);
    if (candidates.length === 0) return { error: `Cannot assign: none of the step's ${userIds.length} user${userIds.length === 1 ? '' : 's'} can be assigned (see the notes); choose others in the workflow` };
    const picked = pick === 'round_robin' ? await nextInTurn(ctx, uow, userIds, candidates) : await fewestOpen(ctx, uow, candidates);
    await uow.trx.insertInto('step_effects').values({ key, result: toJson(picked), created_at: nowIso() }).execute();
    await holdPick(ctx, uow, key, picked.userId);
    ctx.note(picked.reason);
    return picked;
  });
}

/**
 * The assignment of `picked` failed for good (respond.io: a failed assignment does not move the
 * rotation on): the turn goes back to where it was, so the next run picks them again rather than
 * skip someone who never got the conversation, and the pick's record goes (a later try picks
 * afresh). Only while nobody took a turn since: a run that took the next one meanwhile has
 * already been given its user, and winding back then would give someone two turns.
 */
export async function givePickBack(ctx: StepContext<'assign_to'>, pick: Exclude<AssignPick, 'user' | 'team'>, picked: Picked): Promise<void> {
  await ctx.db(async (uow) => {
    await uow.trx.deleteFrom('step_effects').where('key', '=', `${ctx.idempotencyKey}:pick`).execute();
    if (pick !== 'round_robin') return;
    if (!picked.before) return ctx.note(`${picked.name} did not get the conversation; the turn was taken before this version of the step and stays spent`);
    // The update locks the row (PostgreSQL) as the pick's upsert does: no run takes a turn meanwhile.
    const row = await uow.trx.updateTable('assign_rotations').set({ updated_at: nowIso() })
      .where('workflow_id', '=', ctx.run.workflowId).where('step_id', '=', ctx.step.id)
      .returning('last_user_id').executeTakeFirst();
    if (row?.last_user_id !== picked.userId) return ctx.note(`${picked.name} did not get the conversation; another run has taken a turn since, so the turn could not be given back`);
    await uow.trx.updateTable('assign_rotations').set({ last_user_id: picked.before.lastUserId, turn_user_ids: picked.before.turnUserIds, updated_at: nowIso() })
      .where('workflow_id', '=', ctx.run.workflowId).where('step_id', '=', ctx.step.id).execute();
    ctx.note(`${picked.name} did not get the conversation, so the turn was given back: ${picked.name} is next in turn again`);
  });
}

/**
 * The listed users who can be assigned, in the list's order; the others are skipped with a note
 * each: deactivated here, or `refused` by the conversation's inbox (no Chatwoot agent), and why.
 */
async function assignable(ctx: StepContext<'assign_to'>, uow: UnitOfWork, userIds: readonly string[], refused: ReadonlyMap<string, string>): Promise<Candidate[]> {
  const rows = await uow.trx.selectFrom('users').select(['id', 'name', 'deactivated_at']).where('id', 'in', [...userIds]).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const found: Candidate[] = [];
  for (const id of userIds) {
    const row = byId.get(id);
    if (!row) ctx.note(`Skipped ${id}: there is no such user any more`);
    else if (row.deactivated_at) ctx.note(`Skipped ${row.name}: deactivated, cannot be assigned`);
    else if (refused.has(id)) ctx.note(`Skipped ${row.name}: ${refused.get(id)}`);
    else found.push({ id: row.id, name: row.name });
  }
  return found;
}

/**
 * The first assignable user after the one who had the last turn, in the list's order (from the
 * top when nobody had one). If that user has left the list since, the turn goes on from their
 * place in the list as it was then (kept with the turn): with Ana, Bo, Cy and Bo's turn last,
 * unticking Bo gives Cy the next, as respond.io's rotation carries on, rather than Ana a second
 * turn. The step's row stays locked (PostgreSQL; SQLite has one writer) until the run's
 * transaction ends, so runs on every instance take turns one after another and none is skipped
 * or given twice.
 */
async function nextInTurn(ctx: StepContext<'assign_to'>, uow: UnitOfWork, userIds: readonly string[], candidates: Candidate[]): Promise<Picked> {
  const trx = uow.trx;
  const at = { workflow_id: ctx.run.workflowId, step_id: ctx.step.id };
  // One statement creates the row the first time and locks it (an upsert's update takes the row
  // lock on PostgreSQL; a second run waits here, then reads the turn the first one gave).
  const { last_user_id: last, turn_user_ids: turnList } = await trx.insertInto('assign_rotations').values({ ...at, last_user_id: null, turn_user_ids: null, updated_at: nowIso() })
    .onConflict((oc) => oc.columns(['workflow_id', 'step_id']).doUpdateSet({ updated_at: nowIso() }))
    .returning(['last_user_id', 'turn_user_ids']).executeTakeFirstOrThrow();
  const start = last === null ? 0 : startAfter(last, userIds, fromJson<string[]>(turnList, []));
  const ordered = [...userIds.slice(start), ...userIds.slice(0, start)];
  const next = ordered.map((id) => candidates.find((c) => c.id === id)).find((c) => c !== undefined)!;
  const before = { lastUserId: last, turnUserIds: turnList };
  await trx.updateTable('assign_rotations').set({ last_user_id: next.id, turn_user_ids: toJson(userIds), updated_at: nowIso() })
    .where('workflow_id', '=', at.workflow_id).where('step_id', '=', at.step_id).execute();
  if (last === null) return { userId: next.id, name: next.name, reason: `First in turn: ${next.name}`, before };
  const lastName = candidates.find((c) => c.id === last)?.name ?? await nameOf(uow, last);
  const left = userIds.includes(last) ? '' : ' (no longer in the step\'s list)';
  return { userId: next.id, name: next.name, reason: `Next in turn after ${lastName}${left}: ${next.name}`, before };
}

/**
 * Where in `userIds` the turn after `last` starts: just after them, or if they left the list,
 * at the first user after their old place in `before` (the list at their turn) still listed.
 */
function startAfter(last: string, userIds: readonly string[], before: readonly string[]): number {
  const now = userIds.indexOf(last);
  if (now >= 0) return now + 1;
  const was = before.indexOf(last);
  if (was < 0) return 0;
  const following = [...before.slice(was + 1), ...before.slice(0, was)].find((id) => userIds.includes(id));
  return following === undefined ? 0 : userIds.indexOf(following);
}

/**
 * The assignable user with the fewest open conversations assigned; a tie goes to the one listed
 * first. Open means open work: not snoozed or pending in Chatwoot (held_status), and picks held
 * for a user but not written yet count (assign-pending.ts). The step's row is locked first, as a
 * round robin's is, so picks on every instance count one after another rather than all at once.
 */
async function fewestOpen(ctx: StepContext<'assign_to'>, uow: UnitOfWork, candidates: Candidate[]): Promise<Picked> {
  await uow.trx.insertInto('assign_rotations').values({ workflow_id: ctx.run.workflowId, step_id: ctx.step.id, last_user_id: null, turn_user_ids: null, updated_at: nowIso() })
    .onConflict((oc) => oc.columns(['workflow_id', 'step_id']).doUpdateSet({ updated_at: nowIso() })).execute();
  const ids = candidates.map((c) => c.id);
  const counts = await uow.trx.selectFrom('conversations').select(['assignee_id', (eb) => eb.fn.countAll<number | string | bigint>().as('open')])
    .where('status', '=', 'open').where('held_status', 'is', null).where('assignee_id', 'in', ids).groupBy('assignee_id').execute();
  const held = await heldPicks(uow, ids);
  const open = new Map(ids.map((id) => [id, Number(counts.find((c) => c.assignee_id === id)?.open ?? 0) + (held.get(id) ?? 0)]));
  let best = candidates[0]!;
  for (const c of candidates) if ((open.get(c.id) ?? 0) < (open.get(best.id) ?? 0)) best = c;
  const n = open.get(best.id) ?? 0;
  const pending = held.get(best.id) ? ` (${held.get(best.id)} of them being assigned by other runs now)` : '';
  return { userId: best.id, name: best.name, reason: `Fewest open conversations: ${best.name} with ${n}${pending}` };
}

async function nameOf(uow: UnitOfWork, userId: string): Promise<string> {
  const row = await uow.trx.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
  return row?.name ?? userId;
}
