import { getConversation } from '../domain/conversations';
import { MAX_RETRY_AFTER_MS, STEP_RETRY_DELAYS_S } from '../engine/executor/step-retry';
import { nowIso } from '../ids';
import { PolledWorker } from '../outbound/polled-worker';
import type { Services } from '../services';
import { fromJson } from '../store/database';
import type { LateFallbacksTable, MessagesTable } from '../store/schema';
import { deliverThroughChannel, type DeliveryResult } from './deliver';
import { fallbackKey, lateFallbackHooks } from './late-fallback';
import { recordLateFallback } from './late-fallback-log';
import { amendStep } from './late-fallback-note';
import { explainMetaError } from './meta-advice';
import type { SendSpec } from './send-spec';
import { showTemplateAsSent } from './template-as-sent';

// Sends the fallback templates WhatsApp's late 131047 refusals made due (late-fallback.ts), then
// says so in the step's log (late-fallback-log.ts). Due rows are claimed by moving their time
// forward (one instance wins each); the fallback goes under its own send key (deliver.ts: one send
// per key, ever), so a crash or a second instance repeats nothing. The run may have ended: the
// fallback is the step's promise. Meta throttling or down, it waits under its key and is tried
// again on the schedule of the step's own sends (step-retry.ts), then given up, failed.

const POLL_MS = 30_000;
const BATCH = 20;
/** Longer than a send with its quick retries takes. */
const CLAIM_HOLD_MS = 5 * 60_000;
/** The run is being executed: its log is written again soon after. */
const NOTE_AGAIN_MS = 2_000;
/** Sends at most: the first and one per delay, as a step's. */
const TRIES = STEP_RETRY_DELAYS_S.length + 1;

/** The outcome of a fallback that needs no send now, from its stored row (deliver.ts). */
function stored(m: MessagesTable): DeliveryResult {
  const status = m.external_id ? 'accepted' : m.delivery_status === 'failed' ? 'failed' : 'unknown';
  return { messageId: m.id, status, externalId: m.external_id ?? null, error: m.external_id ? null : m.delivery_error ?? null, repeated: true };
}

/** The fallback waiting for a try will not be sent: failed with why, as the inbox shows it. */
async function giveUp(services: Services, key: string, conversation: { id: string; contactId: string }, error: string) {
  await services.db.updateTable('messages').set({ delivery_status: 'failed', delivery_error: error, delivery_updated_at: nowIso() })
    .where('send_key', '=', key).where('delivery_status', '=', 'retrying').execute();
  services.live.publish({ type: 'conversation.changed', conversationId: conversation.id, contactId: conversation.contactId });
}

interface Settled { done: boolean; noted: boolean; tries: number; nextTryAt?: string }

/** One due fallback: sent (or tried again, or found sent), then noted on the step. */
async function settle(services: Services, row: LateFallbacksTable): Promise<Settled> {
  const { db } = services;
  const spec = fromJson<SendSpec>(row.spec, { kind: 'template', text: '' });
  const message = await db.selectFrom('messages').selectAll().where('send_key', '=', row.send_key).executeTakeFirst();
  if (!message?.connection_id) return { done: true, noted: true, tries: row.tries };
  const connection = await db.selectFrom('connections').selectAll().where('id', '=', message.connection_id).executeTakeFirst();
  const conversation = await getConversation(db, message.conversation_id).catch(() => null);
  if (!conversation) return { done: true, noted: true, tries: row.tries };
  const key = fallbackKey(row.send_key);
  const earlier = await db.selectFrom('messages').selectAll().where('send_key', '=', key).executeTakeFirst();
  const toSend = !earlier || earlier.delivery_status === 'retrying';
  let outcome: DeliveryResult | string;
  let tries = row.tries;
  let nextTryAt: string | undefined;
  if (!connection || conversation.connectionId !== connection.id) {
    outcome = earlier && !toSend ? stored(earlier) : !connection ? 'the WhatsApp number was disconnected' : 'the customer now writes on another channel';
    if (earlier && toSend) await giveUp(services, key, conversation, `Not sent: ${outcome as string}`);
  } else {
    outcome = await deliverThroughChannel(services, {
      connection, conversation: { ...conversation, connectionId: connection.id }, spec, sendKey: key, retryLater: true,
      author: { type: 'workflow', id: message.author_id ?? null, name: message.author_name ?? null },
      cause: { source: 'workflow', depth: (await runDepth(services, row.send_key)) + 1, by: message.author_id ?? null },
    });
    if (!outcome.repeated) tries += 1;
    if (outcome.status === 'accepted' && !outcome.repeated && spec.template) {
      await showTemplateAsSent(services, connection, conversation, outcome.messageId, spec.template);
    }
    if (outcome.status === 'retrying' && tries >= TRIES) {
      const minutes = Math.max(1, Math.round((Date.now() - Date.parse(earlier?.created_at ?? nowIso())) / 60_000));
      const error = `${outcome.error ?? 'Meta did not take it for now'} (tried ${tries} times over ${minutes} minute${minutes === 1 ? '' : 's'}; not tried again)`;
      await giveUp(services, key, conversation, error);
      outcome = { ...outcome, status: 'failed', error };
    } else if (outcome.status === 'retrying') {
      const delayMs = Math.max(STEP_RETRY_DELAYS_S[tries - 1]! * 1000, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
      nextTryAt = new Date(Date.now() + delayMs).toISOString();
    }
  }
  const state = { template: spec.template?.name ?? '', outcome, tries, of: TRIES, refusal: explainMetaError(message.delivery_error ?? null), ...(nextTryAt ? { nextTryAt } : {}) };
  const noted = await amendStep(services, row.send_key, (entry, runEnded) => recordLateFallback(entry, state, runEnded));
  return { done: !nextTryAt, noted, tries, ...(nextTryAt ? { nextTryAt } : {}) };
}

async function runDepth(services: Services, sendKey: string) {
  const run = await services.db.selectFrom('runs').select('depth').where('id', '=', sendKey.split(':')[0]!).executeTakeFirst();
  return run?.depth ?? 0;
}

export class LateFallbacks extends PolledWorker {
  constructor(private services: Services) { super(); }

  protected async tick(): Promise<number> {
    const { db, log } = this.services;
    let nextIn = POLL_MS;
    try {
      const due = await db.selectFrom('late_fallbacks').selectAll().where('due_at', 'is not', null).where('due_at', '<=', nowIso())
        .orderBy('due_at').limit(BATCH).execute();
      for (const row of due) {
        if (this.stopped) return nextIn;
        await this.claimAndSettle(row).catch((err) => log.warn({ err, sendKey: row.send_key }, 'late fallback failed'));
      }
      const upcoming = await db.selectFrom('late_fallbacks').select('due_at').where('due_at', 'is not', null).orderBy('due_at').limit(1).executeTakeFirst();
      if (upcoming?.due_at) nextIn = Math.min(nextIn, Math.max(0, Date.parse(upcoming.due_at) - Date.now()));
      if (due.length === BATCH) nextIn = 0;
    } catch (err) {
      if (!this.stopped) log.warn({ err }, 'late fallbacks: could not read due rows');
    }
    return nextIn;
  }

  private async claimAndSettle(row: LateFallbacksTable) {
    const { db } = this.services;
    // The try is counted as it is claimed: a crash while Meta answers it (before the count below is
    // written) leaves it counted, so crashes cannot add tries past TRIES. A pass that sends nothing
    // (already sent, channel gone) writes the count back below.
    const claim = await db.updateTable('late_fallbacks').set({ due_at: new Date(Date.now() + CLAIM_HOLD_MS).toISOString(), tries: row.tries + 1 })
      .where('send_key', '=', row.send_key).where('due_at', '=', row.due_at).executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return;
    const s = await settle(this.services, row);
    if (s.done && s.noted) return void await db.deleteFrom('late_fallbacks').where('send_key', '=', row.send_key).execute();
    // Tried again at its time (a note the running run kept out is written with the next one's);
    // settled but not noted yet: noted soon, with nothing sent again.
    const dueAt = s.nextTryAt ?? new Date(Date.now() + NOTE_AGAIN_MS).toISOString();
    await db.updateTable('late_fallbacks').set({ due_at: dueAt, tries: s.tries }).where('send_key', '=', row.send_key).execute();
  }
}

const workers = new WeakMap<Services, LateFallbacks>();

/** Starts the worker (with the server's other workers); a late refusal wakes it. */
export function startLateFallbacks(services: Services) {
  const worker = new LateFallbacks(services);
  workers.set(services, worker);
  lateFallbackHooks.due = (s) => workers.get(s)?.wake();
  worker.start();
  services.onClose(() => worker.stop());
}

/** Looks for due fallbacks now, as a restarted server's first pass does. */
export const wakeLateFallbacks = (services: Services) => workers.get(services)?.wake();
