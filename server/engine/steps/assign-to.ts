import type { Conversation } from '../../../lib/contracts/conversations';
import { UNASSIGN } from '../../../lib/contracts/steps';
import { assignConversation, checkAssignee } from '../../domain/conversations';
import { nowIso } from '../../ids';
import { fromJson, isUniqueViolation, toJson } from '../../store/database';
import { isTransientDatabaseError } from '../../store/transient-errors';
import { givePickBack, pickAssignee, type Picked } from './assign-pick';
import { releasePick } from './assign-pending';
import { defineStep, fail, next, RetryLaterError, type StepContext, type StepOutcome } from './define';
import { mustOpenOutside, openFirst } from './open-for-send';
import { outsideWhenConnected, viaConnector } from './via-connector';
import { workflowAuthor, type WorkflowAuthor } from './workflow-author';

export const assignToStep = defineStep({
  type: 'assign_to',
  // None open: it opens one first (maybe reopening it in Chatwoot, an outside call), then assigns.
  outside: (c) => c === null || outsideWhenConnected(c),
  async run(ctx) {
    const made: { picked?: Picked } = {};
    try {
      const outcome = await assign(ctx, made);
      if (outcome.kind === 'fail') await failedForGood(ctx, made.picked);
      return outcome;
    } catch (err) {
      // Put off for later (Chatwoot busy) or a database hiccup: the step runs again and assigns whom it picked.
      if (!(err instanceof RetryLaterError && ctx.canRetry) && !isTransientDatabaseError(err)) await failedForGood(ctx, made.picked);
      throw err;
    } finally {
      // Written as the assignee, or not assigned: Least open no longer counts the held pick (a retry holds it again).
      if (made.picked) await releasePick(ctx, `${ctx.idempotencyKey}:pick`).catch((err: unknown) => ctx.services.log.warn({ err, runId: ctx.run.id }, 'releasing an Assign to pick failed'));
    }
  },
});

/**
 * A list's pick whose assignment failed for good gives its turn back (assign-pick.ts). Only an
 * outside step's pick needs it: an ordinary step's failure rolls back its transaction, turn and all.
 * It cannot stall the rotation on someone who can never take the conversation: the pick skips
 * deactivated users and those the inbox refuses (refusedThere) before it takes a turn.
 */
async function failedForGood(ctx: StepContext<'assign_to'>, picked: Picked | undefined) {
  const pick = ctx.config.pick ?? 'user';
  if (!picked || !ctx.outside || pick === 'user' || pick === 'team') return;
  // Not given back, the turn stays spent: the step's own error is still the one to report.
  await givePickBack(ctx, pick, picked).catch((err: unknown) => ctx.services.log.warn({ err, runId: ctx.run.id }, 'giving back an Assign to turn failed'));
}

async function assign(ctx: StepContext<'assign_to'>, made: { picked?: Picked }): Promise<StepOutcome> {
  const pick = ctx.config.pick ?? 'user';
  if (pick === 'team') return assignTeam(ctx, ctx.config.teamId!);
  let userId: string | null = null;
  let picked: Picked | undefined;
  // A list's pick takes a turn, so it is made only once the step knows it will assign.
  const pickNow = async () => {
    if (pick === 'user') return undefined;
    const found = await pickAssignee(ctx, pick, ctx.config.userIds ?? [], await refusedThere(ctx));
    if ('error' in found) return found.error;
    picked = found;
    made.picked = found;
    userId = found.userId;
    return undefined;
  };
  if (pick === 'user') {
    const target = ctx.render(ctx.config.userId ?? '').trim();
    if (target === '') return fail('Cannot assign: the user id rendered empty');
    userId = target === UNASSIGN ? null : target;
  }
  let conversation = ctx.conversation;
  let opened = false;
  if (!conversation) {
    // Nobody to take off a conversation that is not there: opening one only to leave it unassigned helps no one.
    if (pick === 'user' && !userId) {
      ctx.note('The contact has no open conversation: there was nobody to unassign');
      return next({ conversationId: null, assigneeId: null });
    }
    mustOpenOutside(ctx);
    const done = await ctx.services.db.selectFrom('step_effects').select('result').where('key', '=', ctx.idempotencyKey).executeTakeFirst();
    if (done) {
      ctx.note('The assignment was made before a restart, in a conversation closed since; no conversation was opened again');
      return next(fromJson(done.result, {}));
    }
    // Who cannot be assigned is said before a conversation is opened for nothing.
    const unpicked = await pickNow();
    if (unpicked) return fail(unpicked);
    try {
      await checkAssignee(ctx.services.db, userId!);
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
    const first = await openFirst(ctx, 'Cannot assign');
    if ('error' in first) return fail(first.error);
    conversation = first.conversation;
    opened = true;
  } else {
    const unpicked = await pickNow();
    if (unpicked) return fail(unpicked);
  }
  const connector = await viaConnector(ctx, conversation, 'assign');
  if (connector) return next(await connector.invoke({ userId }));
  // The workflow named in the thread's line (from the run's version cache: no query in a round).
  const author = await workflowAuthor(ctx);
  const output = { conversationId: conversation.id, assigneeId: userId, ...pickedOutput(pick, picked) };
  if (opened) await assignRecorded(ctx, conversation, userId, author, output);
  else await ctx.db((uow) => assignConversation(uow, ctx.services, conversation.id, userId, ctx.cause, author));
  return next(output);
}

/**
 * A team is Chatwoot's (its account's teams): a built-in conversation has none to be given to, and
 * with no conversation open there is nothing to hand a team; opening one for that is left out, as
 * which inbox to open it in is not the step's to guess.
 */
async function assignTeam(ctx: StepContext<'assign_to'>, teamId: number): Promise<StepOutcome> {
  if (!ctx.conversation) return fail('Cannot assign to a team: the contact has no open conversation; teams are given conversations, so open one first (Open a conversation step)');
  const connector = await viaConnector(ctx, ctx.conversation, 'assignTeam');
  if (!connector) return fail('Cannot assign to a team: teams are Chatwoot\'s, and this conversation is in the built-in inbox; assign a user (or users in turn) here instead');
  return next(await connector.invoke({ teamId }));
}

/**
 * Listed users the conversation's inbox cannot give it to (Chatwoot: no agent with their email),
 * and why: the pick skips them, as it skips deactivated users, rather than fail on their turn.
 */
async function refusedThere(ctx: StepContext<'assign_to'>): Promise<ReadonlyMap<string, string>> {
  const connector = await viaConnector(ctx, ctx.conversation, 'cannotTake');
  return connector ? connector.invoke({ userIds: ctx.config.userIds ?? [] }) : new Map();
}

/** Who a list's pick chose and why ("Next in turn after Ana: Bo"), for the run's step log. */
const pickedOutput = (pick: string, picked: Picked | undefined) => (picked ? { pick, picked: { userId: picked.userId, name: picked.name, reason: picked.reason } } : {});

/**
 * The assignment in a conversation this step opened (outside the checkpoint), with its record
 * under the step's key in the same transaction: a step run again after a crash, the conversation
 * closed meanwhile, finds it done rather than opening a second conversation.
 */
async function assignRecorded(ctx: StepContext<'assign_to'>, conversation: Conversation, userId: string | null, author: WorkflowAuthor, output: Record<string, unknown>) {
  try {
    await ctx.db(async (uow) => {
      await assignConversation(uow, ctx.services, conversation.id, userId, ctx.cause, author);
      await uow.trx.insertInto('step_effects').values({ key: ctx.idempotencyKey, result: toJson(output), created_at: nowIso() }).execute();
    });
  } catch (err) {
    // Another instance took the run over meanwhile (its lease had run out) and assigned first.
    if (!isUniqueViolation(err)) throw err;
  }
}
