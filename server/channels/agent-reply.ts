import type { Conversation } from '../../lib/contracts/conversations';
import type { Cause } from '../domain/contacts';
import type { MessageAuthor } from '../domain/conversations';
import { MAX_RETRY_AFTER_MS, STEP_RETRY_DELAYS_S } from '../engine/executor/step-retry';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { fromJson, toJson, type Executor } from '../store/database';
import type { ConnectionsTable, MessagesTable } from '../store/schema';
import { planAgentReply, type Replier } from './agent-reply-policy';
import { isChannelKind } from './connections';
import { deliverThroughChannel, type DeliveryResult } from './deliver';
import type { SendSpec } from './send-spec';
import { channelWindow } from './window';

// An agent's reply through a WhatsApp / Messenger channel (the inbox, POST /conversations/:id/
// messages). Sent as a workflow's message is (deliver.ts: the row under its send key before the
// call, exactly once), but planned against the window in words for the agent
// (agent-reply-policy.ts) at every try, and kept in `reply_sends` (migration 078): Meta throttling
// or down past the three quick attempts, it is tried again in the background (reply-retries.ts) on
// the workflows' schedule; failed for good, a person can send it again once (Resend).

/** How long a try holds its row: longer than a send's three attempts with Meta's Retry-After (deliver.ts, graph.ts). */
export const TRY_HOLD_MS = 10 * 60_000;

export type ReplyOutcome = { error: string } | { message: MessagesTable };

export interface ReplyTry {
  connection: ConnectionsTable;
  conversation: Conversation & { connectionId: string };
  /** The text or template as the agent sent it (the Human Agent tag is added per try). */
  spec: SendSpec;
  sendKey: string;
  by: Replier & { userId: string | null };
  /** Who the message is written by, when not the user `by` names: the app whose key posted it (apps/message-author.ts). */
  author?: MessageAuthor & { type: 'user' | 'app' };
  cause: Cause;
  note(message: string): void;
  /** Tries so far, this one included. */
  tries: number;
  shownAs?: string;
}

const messageBySendKey = (db: Executor, sendKey: string) => db.selectFrom('messages').selectAll().where('send_key', '=', sendKey).executeTakeFirst();
const messageById = (db: Executor, id: string) => db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** Whether the user may use Messenger's Human Agent tag: a person; not a bot user, not an app key (no user). */
export async function replierOf(db: Executor, userId: string | null): Promise<Replier & { userId: string | null }> {
  const user = userId ? await db.selectFrom('users').select('kind').where('id', '=', userId).executeTakeFirst() : undefined;
  return { userId, human: user?.kind === 'human' };
}

/** The first try of a reply; a repeat of the request (same send key) is answered as it stands, never sent again. */
export async function sendAgentReply(services: Services, input: Omit<ReplyTry, 'tries'>): Promise<ReplyOutcome> {
  const earlier = await messageBySendKey(services.db, input.sendKey);
  if (earlier) return { message: earlier };
  const plan = await planReply(services, input);
  if ('error' in plan) return plan;
  // Kept before the call, with a try due at the hold's end: a process that dies between Meta's
  // "not now" and the schedule below still tries it again (a row whose message is settled is skipped).
  await services.db.insertInto('reply_sends').values({
    send_key: input.sendKey, conversation_id: input.conversation.id, spec: toJson(input.spec), tries: 0,
    next_attempt_at: new Date(Date.now() + TRY_HOLD_MS).toISOString(), resend_key: null, created_at: nowIso(),
  }).onConflict((oc) => oc.column('send_key').doNothing()).execute();
  return tryReply(services, { ...input, tries: 1 }, plan.spec);
}

/** The spec Meta takes now from this replier, or why not (nothing stored, nothing sent). */
export async function planReply(services: Services, t: Pick<ReplyTry, 'connection' | 'conversation' | 'spec' | 'by' | 'note'>): Promise<{ error: string } | { spec: SendSpec }> {
  if (!isChannelKind(t.connection.kind)) return { error: `Messages cannot be sent through a ${t.connection.kind} connection` };
  const window = await channelWindow(services.db, t.conversation, t.connection.kind);
  const plan = planAgentReply(t.connection.kind, t.spec, window, t.by);
  if ('error' in plan) return plan;
  if (plan.note) t.note(plan.note);
  return { spec: plan.spec };
}

/** One try (up to three quick attempts, graph.ts) and what follows it: done, a try later, or failed for good. */
export async function tryReply(services: Services, t: ReplyTry, spec: SendSpec): Promise<ReplyOutcome> {
  const result = await deliverThroughChannel(services, {
    connection: t.connection, conversation: t.conversation, spec, sendKey: t.sendKey,
    author: t.author ?? { type: 'user', id: t.by.userId }, cause: t.cause, note: t.note, retryLater: true,
    ...(t.shownAs !== undefined ? { shownAs: t.shownAs } : {}),
  });
  await afterTry(services, t, result);
  return { message: await messageById(services.db, result.messageId) };
}

async function afterTry(services: Services, t: Pick<ReplyTry, 'sendKey' | 'tries' | 'conversation'>, result: DeliveryResult) {
  const { db } = services;
  if (result.repeated) return;
  if (result.status !== 'retrying') {
    await db.updateTable('reply_sends').set({ tries: t.tries, next_attempt_at: null }).where('send_key', '=', t.sendKey).execute();
    return;
  }
  if (t.tries > STEP_RETRY_DELAYS_S.length) {
    await db.updateTable('reply_sends').set({ tries: t.tries }).where('send_key', '=', t.sendKey).execute();
    await failReply(services, t, `${result.error ?? 'Meta did not take it for now'} (tried ${t.tries} times; not tried again)`);
    return;
  }
  const delayMs = Math.max(STEP_RETRY_DELAYS_S[t.tries - 1]! * 1000, Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
  await db.updateTable('reply_sends').set({ tries: t.tries, next_attempt_at: new Date(Date.now() + delayMs).toISOString() }).where('send_key', '=', t.sendKey).execute();
  replyRetryHooks.scheduled(services);
}

/** The reply waiting for a try will not be sent: failed with why (Resend can send it again). */
export async function failReply(services: Services, t: { sendKey: string; conversation: Pick<Conversation, 'id' | 'contactId'> }, reason: string) {
  await services.db.updateTable('messages').set({ delivery_status: 'failed', delivery_error: reason, delivery_updated_at: nowIso() })
    .where('send_key', '=', t.sendKey).where('delivery_status', '=', 'retrying').execute();
  await services.db.updateTable('reply_sends').set({ next_attempt_at: null }).where('send_key', '=', t.sendKey).execute();
  services.live.publish({ type: 'conversation.changed', conversationId: t.conversation.id, contactId: t.conversation.contactId });
}

/** The worker's hook: a try was scheduled (reply-retries.ts looks at its time). */
export const replyRetryHooks = { scheduled: (_services: Services): void => {} };

/** A try the background worker claimed (reply-retries.ts): the reply as its author sent it, planned again now. */
export async function tryReplyAgain(services: Services, t: Omit<ReplyTry, 'shownAs'>): Promise<ReplyOutcome> {
  const plan = await planReply(services, t);
  if ('error' in plan) {
    await failReply(services, t, plan.error);
    return { message: (await messageBySendKey(services.db, t.sendKey))! };
  }
  return tryReply(services, t, plan.spec);
}

/** What the reply under this key was (a reply from before `reply_sends` was text: its message's). */
export async function replySpec(db: Executor, sendKey: string, message: MessagesTable): Promise<SendSpec> {
  const row = await db.selectFrom('reply_sends').select('spec').where('send_key', '=', sendKey).executeTakeFirst();
  return row ? fromJson<SendSpec>(row.spec, { kind: 'text', text: message.text }) : { kind: 'text', text: message.text };
}

