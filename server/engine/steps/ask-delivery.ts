import type { Conversation } from '../../../lib/contracts/conversations';
import type { StepConfig } from '../../../lib/contracts/steps';
import { metaLength } from '../../../lib/contracts/choice-limits';
import { questionText } from '../../../lib/workflow/answers';
import { isChannelKind } from '../../channels/connections';
import { askPayload } from '../../domain/question-target';
import { explainMetaError } from '../../channels/meta-advice';
import { sendOnConversation } from '../../channels/send-on-conversation';
import { channelWindow } from '../../channels/window';
import { channelOfLatest } from '../../domain/closed-conversations';
import { BUTTON_BODY_MAX, type SendSpec } from '../../channels/send-spec';
import { fromJson, isUniqueViolation, toJson, type Executor } from '../../store/database';
import { nowIso } from '../../ids';
import { RetryLaterError, type StepContext } from './define';
import { viaConnector } from './via-connector';
import { workflowAuthor } from './workflow-author';

type Ask = Pick<StepConfig<'ask_question'>, 'choices' | 'presentation'> & { listButton?: string | undefined };

/** What each way of showing choices holds: at most so many, titles of at most so many characters. */
const FITS = {
  // https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages (body text ≤ 1,024)
  buttons: { max: 3, title: 20, body: BUTTON_BODY_MAX, what: 'WhatsApp reply buttons' },
  // https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages (rows; body text ≤ 4,096)
  list: { max: 10, title: 24, body: 4096, what: 'WhatsApp lists' },
  // https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies (the text is a message's: Messenger's 2,000, policy.ts)
  quickReplies: { max: 13, title: 20, body: Infinity, what: 'Messenger quick replies' },
} as const;

type Shape = keyof typeof FITS;
// Characters as Meta counts them: an emoji is one (choice-limits.ts).
const choicesFit = (shape: Shape, choices: readonly string[]) => choices.length <= FITS[shape].max && choices.every((c) => metaLength(c) <= FITS[shape].title);

/**
 * How the question goes out on a Meta channel: on WhatsApp reply buttons, or a list message (its
 * button opens the choices) when the step asks for a list; on Messenger quick replies for either;
 * otherwise, or when the choices do not fit, the numbered text the built-in inbox shows. A tapped
 * button, row or quick reply arrives with the choice's title as its text, so the answer check
 * takes it as typed (by title, or by number for the numbered text). Which question it answers
 * (another workflow may ask too) WhatsApp says by the message tapped on; Messenger's quick
 * replies say it only by their payload, which names the run (question-target.ts).
 */
export function questionSpec(kind: 'whatsapp' | 'messenger', ask: Ask, text: string, runId: string): { spec: SendSpec; note?: string } {
  const plain: SendSpec = { kind: 'text', text: questionText(ask, text) };
  if (ask.presentation === 'text' || ask.choices.length === 0) return { spec: plain };
  const shape: Shape = kind === 'messenger' ? 'quickReplies' : ask.presentation === 'list' ? 'list' : 'buttons';
  const fits = FITS[shape];
  if (!choicesFit(shape, ask.choices)) {
    return { spec: plain, note: `${fits.what} hold at most ${fits.max} choices of at most ${fits.title} characters: the choices were sent as a numbered list` };
  }
  const buttons = ask.choices.map((title, i) => ({ title, ...(kind === 'messenger' ? { payload: askPayload(runId, i + 1) } : {}) }));
  const list: SendSpec = { kind: 'list', text, buttons, ...(ask.listButton ? { listButton: ask.listButton } : {}) };
  const length = metaLength(text);
  if (length <= fits.body) return { spec: shape === 'list' ? list : { kind: 'buttons', text, buttons } };
  // A longer question is never cut (the customer would answer half of it while the inbox shows it
  // whole): reply buttons give way to a list, whose body holds 4,096, then to the numbered text.
  const why = `${fits.what} hold a question of at most ${fits.body.toLocaleString('en-US')} characters (this one has ${length.toLocaleString('en-US')})`;
  if (shape === 'buttons' && length <= FITS.list.body && choicesFit('list', ask.choices)) return { spec: list, note: `${why}: it was sent as a list message` };
  return { spec: plain, note: `${why}: it was sent as text with the choices numbered` };
}

/** ctx.once for a key of our own (each ask and re-ask of one step is its own outside effect). */
function onceBy(db: Executor, key: string) {
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    const done = await db.selectFrom('step_effects').select('result').where('key', '=', key).executeTakeFirst();
    if (done) return fromJson<R>(done.result, undefined as R);
    const result = await fn();
    try {
      await db.insertInto('step_effects').values({ key, result: toJson(result), created_at: nowIso() }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    return result;
  };
}

export type AskSent =
  | { output: Record<string, unknown> }
  | { error: string; output?: Record<string, unknown> }
  /** The channel did not take it for now and nothing went out: the same ask, same key, may go later. */
  | { later: RetryLaterError; output?: Record<string, unknown> };

/**
 * The question's stored copy gets the ask's key, as a Meta channel's message row has it: a
 * customer's reply quoting it (Chatwoot's `in_reply_to` = the id stored with it) then names this
 * run's question (question-target.ts). Only a row without a key: a repeat finds it keyed already.
 * Best effort, after the send: the key only lets a quoted reply find the question, and a database
 * error here (a failover, a lock timeout) must not turn a question the customer got into "not asked".
 */
async function keyAskMessage(ctx: StepContext<'ask_question'>, output: Record<string, unknown>, sendKey: string) {
  if (typeof output.messageId !== 'string') return;
  await ctx.services.db.updateTable('messages').set({ send_key: sendKey }).where('id', '=', output.messageId).where('send_key', 'is', null).execute();
}

/**
 * Meta's refusal of a free-form message outside the 24-hour window advises a fallback template or
 * a message tag, which Send message has and a question does not: said here with what does help.
 */
async function closedWindowAdvice(ctx: StepContext<'ask_question'>, conversation: Pick<Conversation, 'contactId'> & { connectionId: string }, kind: 'whatsapp' | 'messenger'): Promise<string | undefined> {
  const window = await channelWindow(ctx.services.db, conversation, kind);
  if (window.open) return undefined;
  return kind === 'whatsapp'
    ? `${window.note}. A question is a free-form message: send an approved template first (a Send message step), and ask once the customer writes back`
    : `${window.note}. A question cannot carry a message tag: ask once the customer writes again`;
}

/**
 * With none open, Ask opens the conversation on the contact's last channel first: on a WhatsApp
 * number or Page whose 24-hour window is closed the question could only be refused, so it is
 * refused before anything opens (an empty conversation in the inbox, and Conversation Opened
 * workflows fired, for a question that never went out). Reads outside the run's transaction.
 */
export async function refusedBeforeOpening(ctx: StepContext<'ask_question'>): Promise<string | undefined> {
  const on = await channelOfLatest(ctx.services.db, ctx.run.contactId);
  if (!on) return undefined;
  const connection = await ctx.services.db.selectFrom('connections').select('kind').where('id', '=', on.connectionId).executeTakeFirst();
  if (!connection || !isChannelKind(connection.kind)) return undefined;
  const advice = await closedWindowAdvice(ctx, { contactId: ctx.run.contactId, connectionId: on.connectionId }, connection.kind);
  return advice && `Not asked: ${advice}`;
}

/**
 * Sends the question (or a re-ask) on a connected conversation, at most once per `sendKey`: Meta
 * channels through sendOnConversation (the message row with the key commits before the Graph
 * call; the 24-hour window applies), an inbox connector (Chatwoot) through its sendMessage (the
 * attempt is recorded before the POST). Calling it again with the same key sends nothing, unless
 * the last call came back `later`: then nothing went out, and it sends.
 */
export async function sendAskOnChannel(ctx: StepContext<'ask_question'>, conversation: Conversation & { connectionId: string }, text: string, sendKey: string): Promise<AskSent> {
  const connection = await ctx.services.db.selectFrom('connections').selectAll().where('id', '=', conversation.connectionId).executeTakeFirst();
  if (!connection) return { error: 'Not asked: the conversation’s channel was disconnected; connect it again to ask' };
  if (!isChannelKind(connection.kind)) {
    const inbox = await viaConnector({ ...ctx, idempotencyKey: sendKey, once: onceBy(ctx.services.db, sendKey) }, conversation, 'sendMessage');
    if (!inbox) return { error: `Questions cannot be sent through a ${connection.kind} connection` };
    let output: Record<string, unknown>;
    try {
      output = await inbox.invoke({ text: questionText(ctx.config, text).slice(0, 4096) });
    } catch (err) {
      if (err instanceof RetryLaterError) return { later: new RetryLaterError(`Not asked for now: ${err.message}`, err.retryAfterMs) };
      return { error: err instanceof Error ? err.message : String(err) };
    }
    // The customer has the question now: a failed keying must not fail the ask, nor delete the wait.
    await keyAskMessage(ctx, output, sendKey).catch((err: unknown) => ctx.note(
      `The question was sent, but its copy here could not be marked as this question’s (${err instanceof Error ? err.message : String(err)}): `
      + 'a reply quoting it is taken as a typed reply, which answers the question asked last'));
    return { output };
  }
  const { spec, note } = questionSpec(connection.kind, ctx.config, text, ctx.run.id);
  if (note) ctx.note(note);
  const outcome = await sendOnConversation(ctx.services, {
    conversation, spec, sendKey, author: await workflowAuthor(ctx), cause: ctx.cause, note: ctx.note, retryLater: ctx.canRetry, cancellation: ctx.cancellation,
  });
  if ('error' in outcome) return { error: `Not asked: ${await closedWindowAdvice(ctx, conversation, connection.kind) ?? outcome.error}` };
  const { result, sent } = outcome;
  const output = { messageId: result.messageId, sentAs: sent.kind, delivery: { status: result.status, externalId: result.externalId, error: result.error } };
  // Throttled or down: the message row stays `retrying` under its key for the step's next try.
  if (result.transient && !result.repeated) return { later: new RetryLaterError(`Meta did not take the question for now: ${result.error}`, result.retryAfterMs ?? undefined), output };
  if (result.status === 'failed') return { error: `Meta did not accept the question: ${explainMetaError(result.error)}`, output };
  if (result.status === 'unknown') return { error: result.error ?? 'The outcome of sending the question is unknown', output };
  return { output: { ...output, repeated: result.repeated } };
}
