import type { Conversation } from '../../../lib/contracts/conversations';
import { conversationScope } from '../../../lib/workflow/template';
import { findOpenConversation } from '../../domain/conversation-reads';
import { HttpError } from '../../http-error';
import { RetryLaterError, type StepContext } from './define';
import { openOnLastChannel } from './open-conversation';
import { channelOfLatest } from '../../domain/closed-conversations';
import { isChannelKind } from '../../channels/connections';
import { planInWindow } from '../../channels/policy';
import { specFromConfig, templateSpec } from '../../channels/send-spec';
import { channelWindow } from '../../channels/window';

type Opening = Pick<StepContext, 'services' | 'run' | 'db' | 'cause' | 'idempotencyKey' | 'note' | 'once' | 'cancellation' | 'outside' | 'scope'>;

/**
 * Call before a step reads anything to open the conversation. The engine runs a step that has to
 * open one outside its transaction; the conversation closing just as the step began leaves it in
 * the transaction instead, where opening one (maybe a call to Chatwoot, and reads apart from the
 * transaction, which on SQLite would wait on it for ever) cannot be done: its next try does it.
 */
export function mustOpenOutside(ctx: Pick<StepContext, 'outside'>) {
  if (!ctx.outside) throw new RetryLaterError('The contact’s conversation closed as this step began: it opens one on its next try');
}

/**
 * A Send message with no conversation open opens one first, as the Open conversation step does by
 * default (the contact's last channel): respond.io's Send a Message goes to the contact on the
 * "Last Interacted Channel", no open conversation needed
 * (https://help.respond.io/l/en/workflows/step-send-a-message), so a follow-up sent after the
 * close (Conversation closed → Trigger another workflow → Wait → Send) reaches the customer.
 * Not for a send tried again: its message waits in the conversation that was closed meanwhile,
 * and someone closed it on purpose (the message fails with the run instead).
 */
export async function openForSend(ctx: StepContext<'send_message'>): Promise<{ conversation: Conversation } | { error: string }> {
  mustOpenOutside(ctx);
  const waiting = await ctx.services.db.selectFrom('messages').select('conversation_id').where('send_key', '=', ctx.idempotencyKey).executeTakeFirst();
  if (waiting) return { error: 'Cannot send a message: the contact has no open conversation (it was closed while this message waited to be sent again)' };
  const refused = await refusedOnLastChannel(ctx);
  return refused ? { error: refused } : openFirst(ctx, 'Cannot send a message');
}

/**
 * The conversation would open on the contact's last WhatsApp number or Page (openOnLastChannel):
 * when its 24-hour window is closed and the step has nothing Meta takes then (a free-form message
 * with no fallback template, a Messenger message without a tag) the send could only be refused
 * after the open, leaving an empty conversation in the inbox and Conversation Opened workflows
 * fired for a message that never went out. Refused first with the words the send would give,
 * as Ask a Question does (ask-delivery.ts refusedBeforeOpening). Only the spec's kind and
 * messaging type decide, so nothing is rendered (no notes twice).
 */
async function refusedOnLastChannel(ctx: StepContext<'send_message'>): Promise<string | undefined> {
  const on = await channelOfLatest(ctx.services.db, ctx.run.contactId);
  if (!on) return undefined;
  const connection = await ctx.services.db.selectFrom('connections').select('kind').where('id', '=', on.connectionId).executeTakeFirst();
  if (!connection || !isChannelKind(connection.kind)) return undefined;
  const window = await channelWindow(ctx.services.db, { contactId: ctx.run.contactId, connectionId: on.connectionId }, connection.kind);
  if (window.open) return undefined;
  const asIs = (t: string) => t;
  const fallback = ctx.config.fallbackTemplate ? templateSpec(ctx.config.fallbackTemplate, asIs, asIs) : undefined;
  const plan = planInWindow(connection.kind, specFromConfig(ctx.config, asIs, asIs), window, fallback);
  return 'error' in plan ? `Not sent: ${plan.error}` : undefined;
}

/**
 * Opens the contact's conversation for a step that acts in one (Send message, Assign to, Ask a
 * Question) when none is open: as an Open conversation step on the last channel (the same number
 * or Page, Chatwoot reopened, else the built-in inbox; Conversation Opened with source `workflow`).
 * It commits before the step acts, so a step run again after a crash finds it open and opens
 * nothing; what the step did already must be found by the caller first (a message under the
 * step's key, a question's wait row, an assignment's effect record).
 */
export async function openFirst(ctx: Opening, refusal: string): Promise<{ conversation: Conversation } | { error: string }> {
  mustOpenOutside(ctx);
  // Another run of the contact (two workflows on one tag, a webhook and a tag) may have opened it
  // since the engine looked: one conversation per contact, as in respond.io, so this step acts in it.
  const meanwhile = await findOpenConversation(ctx.services.db, ctx.run.contactId);
  if (meanwhile) return used(ctx, meanwhile);
  try {
    // Its own record, not the step's key: the step's effect after it keeps that one (a Chatwoot
    // reopen done twice is done once, and a conversation opened here is found open on a later try).
    await openOnLastChannel({ ...ctx, once: <R>(fn: () => Promise<R>) => fn() });
  } catch (err) {
    // The other run opened it between that look and this open (openConversation's 409).
    if (!(err instanceof HttpError && err.statusCode === 409)) throw err;
    const theirs = await findOpenConversation(ctx.services.db, ctx.run.contactId);
    if (!theirs) throw err;
    return used(ctx, theirs);
  }
  const conversation = await findOpenConversation(ctx.services.db, ctx.run.contactId);
  if (!conversation) return { error: `${refusal}: the contact has no open conversation and none could be opened` };
  ctx.note(`The contact had no open conversation: this step opened ${conversation.id} first, as an "Open conversation" step (last channel) would`);
  return opened(ctx, conversation);
}

const BY: Record<string, string> = {
  workflow: 'by another run', contact: 'by the customer writing', click_to_chat_ads: 'by the customer writing', user: 'in the inbox', manual: 'in the inbox', api: 'through the API',
};

/** A conversation the step did not open, found open when it went to: used, and the log says whose it is. */
function used(ctx: Opening, conversation: Conversation) {
  ctx.note(`The contact had no open conversation when this step began; ${conversation.id} was opened ${BY[conversation.openedBySource] ?? 'elsewhere'} meanwhile, and this step acted in it`);
  return opened(ctx, conversation);
}

/**
 * The step's `{{$conversation.*}}` were read before the open (the engine builds the scope first):
 * from here on they are the opened conversation's, as a later step's would be.
 */
function opened(ctx: Opening, conversation: Conversation) {
  ctx.scope.conversation = conversationScope(conversation);
  return { conversation };
}
