import type { Conversation } from '../../../lib/contracts/conversations';
import { UNASSIGN } from '../../../lib/contracts/steps';
import { assignConversation, checkAssignee } from '../../domain/conversations';
import { nowIso } from '../../ids';
import { fromJson, isUniqueViolation, toJson } from '../../store/database';
import { pickAssignee, type Picked } from './assign-pick';
import { defineStep, fail, next, type StepContext } from './define';
import { mustOpenOutside, openFirst } from './open-for-send';
import { outsideWhenConnected, viaConnector } from './via-connector';
import { workflowAuthor, type WorkflowAuthor } from './workflow-author';

export const assignToStep = defineStep({
  type: 'assign_to',
  // None open: it opens one first (maybe reopening it in Chatwoot, an outside call), then assigns.
  outside: (c) => c === null || outsideWhenConnected(c),
  async run(ctx) {
    const pick = ctx.config.pick ?? 'user';
    let userId: string | null = null;
    let picked: Picked | undefined;
    // A list's pick takes a turn, so it is made only once the step knows it will assign.
    const pickNow = async () => {
      if (pick === 'user') return undefined;
      const found = await pickAssignee(ctx, pick, ctx.config.userIds ?? []);
      if ('error' in found) return found.error;
      picked = found;
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
  },
});

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
