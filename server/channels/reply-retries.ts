import { getConversation } from '../domain/conversations';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { fromJson } from '../store/database';
import type { ReplySendsTable } from '../store/schema';
import { failReply, replierOf, replyRetryHooks, TRY_HOLD_MS, tryReplyAgain } from './agent-reply';
import type { SendSpec } from './send-spec';
import { PolledWorker } from '../outbound/polled-worker';

// Tries agents' replies again that Meta did not take for now (agent-reply.ts schedules them in
// reply_sends). The engine's retry of a step lives in its run; an agent's reply has no run, so
// this small worker does the same from the table: due rows are claimed by moving their time
// forward (one instance wins each), tried, and scheduled again or settled. A reply whose
// conversation was closed meanwhile is still sent: the agent wrote it while it was open.

/** Rows written by other instances are noticed at least this often. */
const POLL_MS = 30_000;
const BATCH = 20;

export class ReplyRetries extends PolledWorker {
  constructor(private services: Services) { super(); }

  protected async tick(): Promise<number> {
    let nextIn = POLL_MS;
    const { db, log } = this.services;
    try {
      const due = await db.selectFrom('reply_sends').selectAll().where('next_attempt_at', 'is not', null)
        .where('next_attempt_at', '<=', nowIso()).orderBy('next_attempt_at').limit(BATCH).execute();
      for (const row of due) {
        if (this.stopped) return nextIn;
        await this.tryRow(row).catch((err) => log.warn({ err, sendKey: row.send_key }, 'reply retry failed'));
      }
      const upcoming = await db.selectFrom('reply_sends').select('next_attempt_at').where('next_attempt_at', 'is not', null)
        .orderBy('next_attempt_at').limit(1).executeTakeFirst();
      if (upcoming?.next_attempt_at) nextIn = Math.min(nextIn, Math.max(0, Date.parse(upcoming.next_attempt_at) - Date.now()));
      if (due.length === BATCH) nextIn = 0;
    } catch (err) {
      if (!this.stopped) log.warn({ err }, 'reply retries: could not read due replies');
    }
    return nextIn;
  }

  private async tryRow(row: ReplySendsTable) {
    const { db } = this.services;
    const claim = await db.updateTable('reply_sends').set({ next_attempt_at: new Date(Date.now() + TRY_HOLD_MS).toISOString() })
      .where('send_key', '=', row.send_key).where('next_attempt_at', '=', row.next_attempt_at).executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return;
    const settle = () => db.updateTable('reply_sends').set({ next_attempt_at: null }).where('send_key', '=', row.send_key).execute();
    const message = await db.selectFrom('messages').selectAll().where('send_key', '=', row.send_key).executeTakeFirst();
    // Sent, failed or in flight meanwhile (or the request died before its message was stored): nothing to try.
    if (!message || message.delivery_status !== 'retrying') return void await settle();
    const conversation = await getConversation(db, message.conversation_id);
    const connection = message.connection_id ? await db.selectFrom('connections').selectAll().where('id', '=', message.connection_id).executeTakeFirst() : undefined;
    const key = { sendKey: row.send_key, conversation };
    const userId = message.author_type === 'user' ? message.author_id : null;
    if (!connection) return failReply(this.services, key, 'Not sent: the channel was disconnected before it could be tried again; connect it again and write the reply again');
    if (conversation.connectionId !== connection.id) return failReply(this.services, key, 'Not sent: the customer now writes on another channel; write the reply again there');
    await tryReplyAgain(this.services, {
      connection, conversation: { ...conversation, connectionId: connection.id },
      spec: fromJson<SendSpec>(row.spec, { kind: 'text', text: message.text }), sendKey: row.send_key,
      // An app's reply (author_id its app id) is no user's: not a human agent, its source the API's.
      by: await replierOf(db, userId), cause: { source: message.author_type === 'app' ? 'api' : 'user', by: userId },
      note: (m) => this.services.log.info({ conversationId: conversation.id }, m), tries: row.tries + 1,
    });
  }
}

const workers = new WeakMap<Services, ReplyRetries>();

/** Starts the worker (with the server's other workers); a scheduled try wakes it. */
export function startReplyRetries(services: Services) {
  const worker = new ReplyRetries(services);
  workers.set(services, worker);
  replyRetryHooks.scheduled = (s) => workers.get(s)?.wake();
  worker.start();
  services.onClose(() => worker.stop());
}

/** Looks for due tries now (tests make one due instead of waiting a minute). */
export const wakeReplyRetries = (services: Services) => workers.get(services)?.wake();
