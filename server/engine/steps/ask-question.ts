import { checkAnswer, questionText } from '../../../lib/workflow/answers';
import { fieldValueProblem, listFields } from '../../domain/fields';
import { updateContact } from '../../domain/contacts';
import { nowIso } from '../../ids';
import { defineStep, fail, goTo, next, pauseHere, type StepContext, type StepOutcome } from './define';
import { deliverMessage } from './deliver-message';

type Ctx = StepContext<'ask_question'>;
const later = (now: string, seconds: number) => new Date(Date.parse(now) + seconds * 1000).toISOString();

/**
 * Ask a Question. The run parks on this step (waiting, wake_at = the timeout; no worker held) with a
 * `question_waits` row naming the conversation. An incoming message there is stored on that row and
 * wakes the run (server/domain/question-replies.ts) before anything else sees it; the step then runs
 * again and finds the answer. Every write (question, wait row, saved answer) commits with the run's
 * checkpoint, so a crash repeats nothing and loses nothing.
 */
export const askQuestionStep = defineStep({
  type: 'ask_question',
  async run(ctx) {
    return ctx.db(async (uow) => {
      const trx = uow.trx;
      const wait = await trx.selectFrom('question_waits').selectAll().where('run_id', '=', ctx.run.id).where('step_id', '=', ctx.step.id).executeTakeFirst();
      const question = ctx.render(ctx.config.question);
      if (!wait) {
        const conversation = ctx.conversation;
        if (!conversation) return fail('Cannot ask: the contact has no open conversation (add an "open conversation" step first)');
        // Delivery through a connection (WhatsApp, Messenger, Chatwoot) is not wired to this step
        // yet: refuse rather than store a question the contact never receives.
        if (conversation.connectionId) {
          return fail('Cannot ask on this conversation: Ask a Question sends only in the built-in inbox so far, not through a connected channel (WhatsApp, Messenger, Chatwoot)');
        }
        const message = await deliverMessage(ctx, conversation, questionText(ctx.config, question));
        const expiresAt = later(ctx.run.now, ctx.config.timeoutSeconds);
        await trx.insertInto('question_waits').values({
          run_id: ctx.run.id, step_id: ctx.step.id, conversation_id: conversation.id, attempts: 0, expires_at: expiresAt,
          answer: null, answer_message_id: null, created_at: nowIso(),
        }).execute();
        return pauseHere(expiresAt, { asked: message.id, conversationId: conversation.id, waitingUntil: expiresAt });
      }
      const done = () => trx.deleteFrom('question_waits').where('run_id', '=', ctx.run.id).execute();
      if (wait.answer === null) {
        if (ctx.run.now < wait.expires_at) return pauseHere(wait.expires_at, { waitingUntil: wait.expires_at });
        await done();
        return branch(ctx.config.timeoutGoTo, { outcome: 'timed_out', attempts: wait.attempts });
      }
      const check = checkAnswer(ctx.config, wait.answer);
      if (check.ok) {
        await done();
        const saved = await saveAnswer(ctx, uow, check.value);
        const variables = ctx.config.saveToVariable ? { [ctx.config.saveToVariable]: check.value } : undefined;
        const output = { outcome: 'answered', answer: check.value, ...saved };
        return ctx.config.answeredGoTo ? goTo(ctx.config.answeredGoTo, output, variables) : next(output, variables);
      }
      const attempts = wait.attempts + 1;
      if (attempts > ctx.config.retries) {
        await done();
        return branch(ctx.config.invalidGoTo, { outcome: 'invalid', reply: wait.answer, reason: check.reason, attempts });
      }
      const conversation = await trx.selectFrom('conversations').select(['id', 'status']).where('id', '=', wait.conversation_id).executeTakeFirst();
      if (!conversation || conversation.status !== 'open' || !ctx.conversation || ctx.conversation.id !== conversation.id) {
        await done();
        return branch(ctx.config.invalidGoTo, { outcome: 'invalid', reply: wait.answer, reason: `${check.reason}; the conversation is closed, so it was not asked again`, attempts });
      }
      const retry = ctx.config.retryMessage.replaceAll('{{question}}', question);
      await deliverMessage(ctx, ctx.conversation, questionText(ctx.config, ctx.render(retry)));
      const expiresAt = later(ctx.run.now, ctx.config.timeoutSeconds);
      await trx.updateTable('question_waits').set({ answer: null, answer_message_id: null, attempts, expires_at: expiresAt })
        .where('run_id', '=', ctx.run.id).execute();
      return pauseHere(expiresAt, { reasked: true, reply: wait.answer, reason: check.reason, attempts, waitingUntil: expiresAt });
    });
  },
});

/** The answered/invalid/timed-out exits: a target jumps there, none goes on to the next step. */
function branch(target: string | undefined, output: Record<string, unknown>): StepOutcome {
  return target ? goTo(target, output) : next(output);
}

/** Saves a valid answer to the chosen contact field, if it fits the field's type (else a note). */
async function saveAnswer(ctx: Ctx, uow: Parameters<Parameters<Ctx['db']>[0]>[0], value: string | number) {
  const key = ctx.config.saveToField;
  if (!key) return {};
  const def = (await listFields(uow.trx)).find((f) => f.key === key);
  const problem = fieldValueProblem(def, value);
  if (problem) {
    ctx.note(`The answer was not saved to field ${key}: ${problem}`);
    return { savedToField: null };
  }
  await updateContact(uow, ctx.services, ctx.run.contactId, { fields: { [key]: value } }, ctx.cause);
  return { savedToField: key };
}
