import { getConversation } from '../domain/conversations';
import { nowIso } from '../ids';
import { PolledWorker } from '../outbound/polled-worker';
import type { Services } from '../services';
import { fromJson } from '../store/database';
import type { LateFallbacksTable } from '../store/schema';
import { deliverThroughChannel, type DeliveryResult } from './deliver';
import { fallbackKey, lateFallbackHooks } from './late-fallback';
import { LATE_NOTE, noteOnStep } from './late-fallback-note';
import { explainMetaError } from './meta-advice';
import type { SendSpec } from './send-spec';
import { showTemplateAsSent } from './template-as-sent';

// Sends the fallback templates WhatsApp's late 131047 refusals made due (late-fallback.ts), then
// says so in the step's log. Due rows are claimed by moving their time forward (one instance wins
// each); the fallback goes under its own send key (deliver.ts: one send per key, ever), so a crash
// or a second instance repeats nothing. The run may have ended: the fallback is the step's promise.

const POLL_MS = 30_000;
const BATCH = 20;
/** Longer than a send with its quick retries takes. */
const CLAIM_HOLD_MS = 5 * 60_000;
/** The run is being executed: its log is written again soon after. */
const NOTE_AGAIN_MS = 2_000;

const REFUSED = `${LATE_NOTE} (Meta error 131047 in a status webhook: more than 24 hours since the customer last wrote, by WhatsApp's own record)`;

function noteOf(spec: SendSpec, outcome: DeliveryResult | string) {
  const name = spec.template?.name ?? '';
  const what = typeof outcome === 'string' ? `the fallback template ${name} was not sent: ${outcome}`
    : outcome.status === 'accepted' ? `sent the fallback template ${name} instead`
      : outcome.status === 'unknown' ? `the fallback template ${name} may or may not have reached the customer: ${outcome.error ?? ''}`
        : `the fallback template ${name} was not accepted: ${explainMetaError(outcome.error) ?? 'Meta refused it'}`;
  return (runEnded: boolean) => `${REFUSED}; ${what}${runEnded && typeof outcome !== 'string' && outcome.status === 'accepted' ? ', after the run had ended' : ''}`;
}

/** One due fallback: sent (or found sent), noted on the step. False: the note waits for the run. */
async function settle(services: Services, row: LateFallbacksTable): Promise<boolean> {
  const { db } = services;
  const spec = fromJson<SendSpec>(row.spec, { kind: 'template', text: '' });
  const message = await db.selectFrom('messages').selectAll().where('send_key', '=', row.send_key).executeTakeFirst();
  if (!message?.connection_id) return true;
  const connection = await db.selectFrom('connections').selectAll().where('id', '=', message.connection_id).executeTakeFirst();
  const conversation = await getConversation(db, message.conversation_id).catch(() => null);
  let outcome: DeliveryResult | string;
  if (!conversation) return true;
  if (!connection) outcome = 'the WhatsApp number was disconnected';
  else if (conversation.connectionId !== connection.id) outcome = 'the customer now writes on another channel';
  else {
    const run = await db.selectFrom('runs').select('depth').where('id', '=', row.send_key.split(':')[0]!).executeTakeFirst();
    outcome = await deliverThroughChannel(services, {
      connection, conversation: { ...conversation, connectionId: connection.id }, spec, sendKey: fallbackKey(row.send_key),
      author: { type: 'workflow', id: message.author_id ?? null, name: message.author_name ?? null },
      cause: { source: 'workflow', depth: (run?.depth ?? 0) + 1, by: message.author_id ?? null },
    });
    if (outcome.status === 'accepted' && !outcome.repeated && spec.template) {
      await showTemplateAsSent(services, connection, conversation, outcome.messageId, spec.template);
    }
  }
  return noteOnStep(services, row.send_key, noteOf(spec, outcome));
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
    const claim = await db.updateTable('late_fallbacks').set({ due_at: new Date(Date.now() + CLAIM_HOLD_MS).toISOString() })
      .where('send_key', '=', row.send_key).where('due_at', '=', row.due_at).executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return;
    if (await settle(this.services, row)) await db.deleteFrom('late_fallbacks').where('send_key', '=', row.send_key).execute();
    else await db.updateTable('late_fallbacks').set({ due_at: new Date(Date.now() + NOTE_AGAIN_MS).toISOString() }).where('send_key', '=', row.send_key).execute();
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
