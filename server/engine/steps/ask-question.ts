import { questionText, withHint } from '../../../lib/workflow/answers';
import { endQuestionWaits } from '../../domain/question-replies';
import { clearPassedOver, passedOverNotes } from '../../domain/passed-over';
import { nowIso } from '../../ids';
import type { Conversation } from '../../../lib/contracts/conversations';
import { defineStep, fail, goTo, next, pauseHere, type StepContext, type StepOutcome } from './define';
import { checkReply, saveAnswer, saveAnswerOutside, type Saved } from './ask-answer';
import { deliverMessage } from './deliver-message';
import { refusedBeforeOpening, sendAskOnChannel } from './ask-delivery';
import { mustOpenOutside, openFirst } from './open-for-send';
import { outsideWhenConnected } from './via-connector';
import { outsideForContactWrite } from './via-contact';
import type { UnitOfWork } from '../../events/unit-of-work';
import { channelGoneForStep } from '../../channels/disconnected';
import type { Executor } from '../../store/database';

type Ctx = StepContext<'ask_question'>;
const later = (now: string, seconds: number) => new Date(Date.parse(now) + seconds * 1000).toISOString();

/**
 * Ask a Question. The run parks on this step (waiting, wake_at = the timeout; no worker held) with a
 * `question_waits` row naming the conversation. An incoming message there is stored on that row and
 * wakes the run (server/domain/question-replies.ts) before anything else sees it; the step then runs
 * again and finds the answer. Every write (question, wait row, saved answer) commits with the run's
 * checkpoint, so a crash repeats nothing and loses nothing. On a conversation in a connection
 * (WhatsApp, Messenger, Chatwoot) the question goes out through it instead: see askOnChannel.
 */
export const askQuestionStep = defineStep({
  type: 'ask_question',
  // None open: it opens one first (maybe reopening it in Chatwoot, an outside call), then asks.
  // Saving the answer to a contact that lives in Chatwoot writes there first (saveAnswerOutside), as Update Contact Field does.
  outside: (conversation, contact) => conversation === null || outsideWhenConnected(conversation)
    || (savesToField(contact.config) && outsideForContactWrite(conversation, contact)),
  async run(given) {
    const first = given.conversation ? undefined : await openToAsk(given);
    if (first && 'error' in first) return fail(first.error);
    const ctx: Ctx = first ? { ...given, conversation: first.conversation } : given;
    const conversation = ctx.conversation;
    if (conversation?.connectionId) return askOnChannel(ctx, { ...conversation, connectionId: conversation.connectionId });
    // Outside (the contact lives in Chatwoot): a valid answer goes there before the transaction that ends the wait.
    const savedThere = ctx.outside ? await saveWaitingAnswerOutside(ctx) : undefined;
    return ctx.db(async (uow) => {
      const trx = uow.trx;
      // The question and re-ask go in this transaction, also outside (where ctx.db would open another).
      const inTrx = { ...ctx, db: <R>(fn: (u: UnitOfWork) => Promise<R>) => fn(uow) };
      const wait = await trx.selectFrom('question_waits').selectAll().where('run_id', '=', ctx.run.id).where('step_id', '=', ctx.step.id).executeTakeFirst();
      const question = ctx.render(ctx.config.question);
      if (!wait) {
        const conversation = ctx.conversation;
        if (!conversation) return fail('Cannot ask: the contact has no open conversation');
        const gone = channelGoneForStep(conversation);
        if (gone) return fail(gone);
        const message = await deliverMessage(inTrx, conversation, questionText(ctx.config, question));
        const expiresAt = later(ctx.run.now, ctx.config.timeoutSeconds);
        const at = nowIso();
        await trx.insertInto('question_waits').values({
          run_id: ctx.run.id, step_id: ctx.step.id, conversation_id: conversation.id, attempts: 0, expires_at: expiresAt,
          answer: null, answer_message_id: null, created_at: at, asked_at: at,
        }).execute();
        return pauseHere(expiresAt, { asked: message.id, conversationId: conversation.id, waitingUntil: expiresAt });
      }
      await notePassedOver(ctx, trx, wait);
      // The inboxes showing this question hear it ended, whichever way (answered, timed out, invalid).
      const done = () => endQuestionWaits(uow, ctx.services, ctx.run.id, ctx.run.contactId);
      // Put off on a channel (askOnChannel), and that conversation is gone by the next try.
      if (wait.unsent) {
        await done();
        return fail('Not asked: the conversation closed before the question could be sent', { conversationId: wait.conversation_id, attempts: wait.attempts });
      }
      if (wait.answer === null) {
        if (ctx.run.now < wait.expires_at) return pauseHere(wait.expires_at, { waitingUntil: wait.expires_at });
        await done();
        return branch(ctx, ctx.config.timeoutGoTo, { outcome: 'timed_out', attempts: wait.attempts });
      }
      const check = await checkReply(ctx, wait.answer, trx);
      if (check.ok) {
        await done();
        const saved = savedThere ?? await saveAnswer(ctx, uow, check.value, ctx.outside ? undefined : ctx.contact);
        return answered(ctx, check.value, saved);
      }
      const attempts = wait.attempts + 1;
      if (attempts > ctx.config.retries) {
        await done();
        return branch(ctx, ctx.config.invalidGoTo, { outcome: 'invalid', reply: wait.answer, reason: check.reason, attempts });
      }
      const conversation = await trx.selectFrom('conversations').select(['id', 'status']).where('id', '=', wait.conversation_id).executeTakeFirst();
      if (!conversation || conversation.status !== 'open' || !ctx.conversation || ctx.conversation.id !== conversation.id) {
        await done();
        return branch(ctx, ctx.config.invalidGoTo, { outcome: 'invalid', reply: wait.answer, reason: `${check.reason}; the conversation is closed, so it was not asked again`, attempts });
      }
      const retry = ctx.config.retryMessage.replaceAll('{{question}}', question);
      // What to fix, when known ("1,250" could be two numbers), goes with the question.
      await deliverMessage(inTrx, ctx.conversation, questionText(ctx.config, withHint(ctx.render(retry), check.hint)));
      const expiresAt = later(ctx.run.now, ctx.config.timeoutSeconds);
      await trx.updateTable('question_waits').set({ answer: null, answer_message_id: null, attempts, expires_at: expiresAt, asked_at: nowIso() })
        .where('run_id', '=', ctx.run.id).execute();
      return pauseHere(expiresAt, { reasked: true, reply: wait.answer, reason: check.reason, attempts, waitingUntil: expiresAt });
    });
  },
});

/**
 * Asking sends a message, so with no conversation open the step opens one first, as Send message
 * does (open-for-send.ts): the same channel, source and trigger. Not once it has asked: its wait
 * row (committed with or before the question) says so, and a conversation closed since is not
 * opened again (the wait goes on, or times out, as it always did).
 */
async function openToAsk(ctx: Ctx): Promise<{ conversation: Conversation } | { error: string } | undefined> {
  const find = (db: Executor) => db.selectFrom('question_waits').select('run_id').where('run_id', '=', ctx.run.id).where('step_id', '=', ctx.step.id).executeTakeFirst();
  // Outside, one read; inside (the conversation closed after the engine chose), the checkpoint's transaction.
  const asked = ctx.outside ? await find(ctx.services.db) : await ctx.db((uow) => find(uow.trx));
  if (asked) return undefined;
  mustOpenOutside(ctx);
  const refused = await refusedBeforeOpening(ctx);
  return refused ? { error: refused } : openFirst(ctx, 'Cannot ask');
}

const savesToField = (config: unknown) => Boolean(config && typeof config === 'object' && 'saveToField' in config && config.saveToField);

/**
 * The answer waiting for this step on a built-in conversation, saved to the Chatwoot contact the
 * contact mirrors (then here) when it is valid; undefined otherwise (the transaction then decides
 * as always). An answer once stored stays until the step takes it (question-replies.ts), so the
 * transaction finds the same one.
 */
async function saveWaitingAnswerOutside(ctx: Ctx): Promise<Saved | undefined> {
  const wait = await ctx.services.db.selectFrom('question_waits').select(['answer', 'unsent']).where('run_id', '=', ctx.run.id).where('step_id', '=', ctx.step.id).executeTakeFirst();
  if (!wait || wait.unsent || wait.answer === null) return undefined;
  const check = await checkReply(ctx, wait.answer);
  return check.ok ? saveAnswerOutside(ctx, ctx.conversation, check.value) : undefined;
}

type Wait = { created_at: string; attempts: number; expires_at: string };

/**
 * The step on a connected conversation. It runs outside the checkpoint transaction (the send is a
 * slow outside call), so each write is a transaction of its own, ordered so a crash at any point
 * neither loses a reply nor sends twice: the wait row (open to replies) commits BEFORE the send,
 * and each ask is sent under its own key, `…:ask` or `…:reask-<attempt>` of this wait row. A step
 * run again after a crash (or woken early) while the wait is open re-issues the current ask
 * under the same key, which sends nothing if it went out already and sends it if it did not.
 * A channel that does not take the ask for now (throttled, down) puts the step off: the row is
 * kept, marked unsent and closed to replies, and the step's next try sends the same ask.
 */
async function askOnChannel(ctx: Ctx, conversation: Conversation & { connectionId: string }): Promise<StepOutcome> {
  const question = ctx.render(ctx.config.question);
  const db = ctx.services.db;
  const wait = await db.selectFrom('question_waits').selectAll().where('run_id', '=', ctx.run.id).where('step_id', '=', ctx.step.id).executeTakeFirst();
  const done = () => ctx.db((uow) => endQuestionWaits(uow, ctx.services, ctx.run.id, ctx.run.contactId));
  // A reply that came in while the put-off ask was being tried answered nothing the customer saw.
  const putOff = () => ctx.db((uow) => uow.trx.updateTable('question_waits').set({ unsent: 1, answer: null, answer_message_id: null })
    .where('run_id', '=', ctx.run.id).execute());
  const ask = async (w: Wait, output: Record<string, unknown>, hint?: string, quiet = false): Promise<StepOutcome> => {
    const text = w.attempts === 0 ? question : withHint(ctx.render(ctx.config.retryMessage.replaceAll('{{question}}', question)), hint);
    const key = `${ctx.run.id}:${ctx.step.id}:${w.created_at}:${w.attempts === 0 ? 'ask' : `reask-${w.attempts}`}`;
    const sent = await sendAskOnChannel(ctx, conversation, text, key);
    if ('later' in sent) {
      // Nothing went out: the row stays for the next try (same key), closed to replies meanwhile.
      // On the last try the run fails, and the row goes.
      if (ctx.canRetry) await putOff();
      else await done();
      throw sent.later;
    }
    if ('error' in sent) {
      await done();
      return fail(sent.error, { conversationId: conversation.id, ...output, ...sent.output });
    }
    if (sent.output.repeated && !quiet) ctx.note('The question was already sent before a restart; it was not sent again');
    return pauseHere(w.expires_at, { ...output, asked: sent.output.messageId ?? null, conversationId: conversation.id, waitingUntil: w.expires_at });
  };

  if (!wait) {
    const row = { attempts: 0, expires_at: later(ctx.run.now, ctx.config.timeoutSeconds), created_at: nowIso() };
    await ctx.db((uow) => uow.trx.insertInto('question_waits').values({
      run_id: ctx.run.id, step_id: ctx.step.id, conversation_id: conversation.id, answer: null, answer_message_id: null, ...row, asked_at: row.created_at,
    }).execute());
    return ask(row, {});
  }
  const passedOver = wait.passed_over ? await ctx.db((uow) => notePassedOver(ctx, uow.trx, wait)) : false;
  if (wait.unsent) {
    if (wait.conversation_id !== conversation.id) {
      await done();
      return fail('Not asked: the conversation closed before the question could be sent', { conversationId: wait.conversation_id, attempts: wait.attempts });
    }
    // The customer gets the whole time to answer from when the question goes out; the row opens
    // to replies before the send, as on the first try.
    const reopened = { created_at: wait.created_at, attempts: wait.attempts, expires_at: later(ctx.run.now, ctx.config.timeoutSeconds) };
    await ctx.db((uow) => uow.trx.updateTable('question_waits').set({ unsent: 0, expires_at: reopened.expires_at, asked_at: nowIso() })
      .where('run_id', '=', ctx.run.id).execute());
    return ask(reopened, wait.attempts > 0 ? { reasked: true, attempts: wait.attempts } : {});
  }
  if (wait.answer === null) {
    if (ctx.run.now >= wait.expires_at) {
      await done();
      return branch(ctx, ctx.config.timeoutGoTo, { outcome: 'timed_out', attempts: wait.attempts });
    }
    // Asked on another conversation (since closed): nothing to re-issue here, keep waiting.
    if (wait.conversation_id !== conversation.id) return pauseHere(wait.expires_at, { waitingUntil: wait.expires_at });
    // Woken to say another question took a message: the ask went out already, unless a crash came between.
    return ask(wait, {}, undefined, passedOver);
  }
  const check = await checkReply(ctx, wait.answer);
  if (check.ok) {
    // Saved through the connector first: a crash before the wait ends saves it again, which is harmless.
    const outside = await saveAnswerOutside(ctx, conversation, check.value);
    const saved = await ctx.db(async (uow) => {
      await endQuestionWaits(uow, ctx.services, ctx.run.id, ctx.run.contactId);
      return outside ?? saveAnswer(ctx, uow, check.value);
    });
    return answered(ctx, check.value, saved);
  }
  const attempts = wait.attempts + 1;
  if (attempts > ctx.config.retries) {
    await done();
    return branch(ctx, ctx.config.invalidGoTo, { outcome: 'invalid', reply: wait.answer, reason: check.reason, attempts });
  }
  if (wait.conversation_id !== conversation.id) {
    await done();
    return branch(ctx, ctx.config.invalidGoTo, { outcome: 'invalid', reply: wait.answer, reason: `${check.reason}; the conversation is closed, so it was not asked again`, attempts });
  }
  const expiresAt = later(ctx.run.now, ctx.config.timeoutSeconds);
  await ctx.db((uow) => uow.trx.updateTable('question_waits').set({ answer: null, answer_message_id: null, attempts, expires_at: expiresAt, asked_at: nowIso() })
    .where('run_id', '=', ctx.run.id).execute());
  return ask({ created_at: wait.created_at, attempts, expires_at: expiresAt }, { reasked: true, reply: wait.answer, reason: check.reason, attempts }, check.hint);
}

/** The answered/invalid/timed-out exits: a target jumps there, none goes on to the next step. */
/**
 * The answered exit: the answer as output and, when asked for, as a `$step` variable. An answer
 * that could not be saved (a phone or email another contact has) fails the step instead.
 */
function answered(ctx: Ctx, value: string | number, saved: Saved): StepOutcome {
  if ('error' in saved) return fail(saved.error, { outcome: 'answered', answer: value });
  const variables = ctx.config.saveToVariable ? { [ctx.config.saveToVariable]: value } : undefined;
  const output = { outcome: 'answered', answer: value, ...saved.output };
  return ctx.config.answeredGoTo ? goTo(ctx.config.answeredGoTo, output, variables) : next(output, variables);
}

/** The invalid and timed-out exits: no answer, so the variable it saves to is null, not an earlier ask's answer. */
function branch(ctx: Ctx, target: string | undefined, output: Record<string, unknown>): StepOutcome {
  const variables = ctx.config.saveToVariable ? { [ctx.config.saveToVariable]: null } : undefined;
  return target ? goTo(target, output, variables) : next(output, variables);
}

/**
 * Messages of the customer's that went to another workflow's question while this one waited
 * (question-replies.ts): into this step's log, once. True when there were any.
 */
async function notePassedOver(ctx: Ctx, trx: Executor, wait: { passed_over?: string | null }): Promise<boolean> {
  const notes = passedOverNotes(wait.passed_over);
  if (!notes.length) return false;
  for (const note of notes) ctx.note(note);
  await clearPassedOver(trx, ctx.run.id, wait.passed_over!);
  return true;
}
