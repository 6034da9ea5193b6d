import { APP_INSTALLATION_HEADER, type AuthInput, type AuthValues } from '../../lib/contracts/apps';
import { newId, nowIso } from '../ids';
import { safeFetch } from '../outbound/safe-fetch';
import type { Services } from '../services';
import { signHeaders } from '../signing/standard-webhooks';
import { fromJson, toJson, type Executor } from '../store/database';
import type { OutboxTable } from '../store/schema';
import { excerpt } from '../outbound/excerpt';
import { NEVER, rowAppId, UNSUBSCRIBE_KIND } from './outbox-rows';
import { secretAuthValues } from './hide-secrets';
import { findAppRow, signingSecretsOf } from './store';
import { PolledWorker } from '../outbound/polled-worker';
import { APP_USER_AGENT } from './subscribe-request';

export { UNSUBSCRIBE_KIND } from './outbox-rows';

export interface OutboxTiming {
  /** First retry after this; doubled each time up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * The cap instead, after a 4xx other than 408, 410 and 429: the server is up but refuses (it
   * holds an old signing secret, say). A person has to fix that; retrying every few minutes for
   * days would only fill its logs.
   */
  refusedMaxDelayMs: number;
  /** Deliveries still failing after this long are given up (kept, with the last error). */
  giveUpAfterMs: number;
  /** How long one instance holds a claimed row; another instance may retry it afterwards. */
  claimMs: number;
  /** Idle poll: rows written by other instances are noticed at least this often. */
  pollMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_OUTBOX_TIMING: OutboxTiming = {
  baseDelayMs: 1000, maxDelayMs: 5 * 60_000, refusedMaxDelayMs: 60 * 60_000, giveUpAfterMs: 3 * 24 * 3600_000,
  claimMs: 60_000, pollMs: 30_000, requestTimeoutMs: 10_000,
};

export const retryDelay = (failures: number, t: Pick<OutboxTiming, 'baseDelayMs' | 'maxDelayMs'>) =>
  Math.min(t.maxDelayMs, t.baseDelayMs * 2 ** Math.max(0, failures - 1));

/** How a failed attempt is retried: soon (the server was unreachable or failing), later (it refused), never. */
type Retry = 'soon' | 'later' | 'never';
type Outcome = { delivered: true } | { delivered: false; retry: Retry; error: string };

/** Queues a signed delivery (in the caller's transaction); the worker sends it after commit. */
export async function enqueueDelivery(db: Executor, item: { kind: string; url: string; body: unknown }): Promise<string> {
  const id = newId('obx');
  const now = nowIso();
  await db.insertInto('outbox').values({
    id, kind: item.kind, url: item.url,
    // The webhook-id stays the same across attempts so the receiver can de-duplicate.
    headers: toJson({ 'content-type': 'application/json', 'webhook-id': newId('msg') }),
    body: JSON.stringify(item.body), attempts: 0, next_attempt_at: now, last_error: null, created_at: now, delivered_at: null,
  }).execute();
  return id;
}

/** Stops retrying an app's undelivered unsubscribe requests (in the caller's transaction), keeping why. */
export async function giveUpUnsubscribes(db: Executor, appId: string, reason: string): Promise<void> {
  const pending = await db.selectFrom('outbox').select(['id', 'body']).where('kind', '=', UNSUBSCRIBE_KIND)
    .where('delivered_at', 'is', null).where('next_attempt_at', '<', NEVER).execute();
  const ids = pending.filter((r) => rowAppId(r) === appId).map((r) => r.id);
  if (ids.length) await db.updateTable('outbox').set({ next_attempt_at: NEVER, last_error: `gave up: ${reason}` }).where('id', 'in', ids).execute();
}

/**
 * Delivers outbox rows in the background: attempted at once, then retried with exponential
 * backoff (1 s, 2 s, 4 s … capped at 5 min; at 1 h after a 4xx) for up to 3 days, then given
 * up (kept, with the last error, for the admin to see and retry). A 2xx delivers; 410 Gone
 * ("stop sending", as Standard Webhooks and Svix read it) and a request our own policy refuses
 * stop at once. Signatures are made per attempt, so a late delivery carries a fresh timestamp
 * and the secrets current then.
 */
export class OutboxWorker extends PolledWorker {
  constructor(private services: Services, private timing: OutboxTiming = DEFAULT_OUTBOX_TIMING) { super(); }

  /**
   * One attempt now, whatever the row's schedule (an admin's "retry now", given up or not); the
   * row as it is afterwards. undefined when there is no such row, or another attempt took it
   * in the meantime.
   */
  async deliverNow(id: string): Promise<OutboxTable | undefined> {
    const { db } = this.services;
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.delivered_at) return row;
    if (!(await this.claim(row))) return undefined;
    await this.deliverClaimed(row);
    return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  protected async tick(): Promise<number> {
    let nextIn = this.timing.pollMs;
    try {
      const { db } = this.services;
      const due = await db.selectFrom('outbox').selectAll().where('delivered_at', 'is', null)
        .where('next_attempt_at', '<=', nowIso()).orderBy('next_attempt_at').limit(20).execute();
      await Promise.all(due.map(async (row) => { if (await this.claim(row)) await this.deliverClaimed(row); }));
      const upcoming = await db.selectFrom('outbox').select('next_attempt_at').where('delivered_at', 'is', null)
        .where('next_attempt_at', '<', NEVER).orderBy('next_attempt_at').limit(1).executeTakeFirst();
      if (upcoming) nextIn = Math.min(nextIn, Math.max(0, Date.parse(upcoming.next_attempt_at) - Date.now()));
    } catch (err) {
      if (!this.stopped) this.services.log.warn({ err }, 'outbox: could not read due deliveries');
    }
    return nextIn;
  }

  /** Claims by moving next_attempt_at forward: with several instances only one wins the row. */
  private async claim(row: OutboxTable): Promise<boolean> {
    const claimedUntil = new Date(Date.now() + this.timing.claimMs).toISOString();
    const claim = await this.services.db.updateTable('outbox').set({ next_attempt_at: claimedUntil })
      .where('id', '=', row.id).where('next_attempt_at', '=', row.next_attempt_at).where('delivered_at', 'is', null).executeTakeFirst();
    return Number(claim.numUpdatedRows) === 1;
  }

  private async deliverClaimed(row: OutboxTable) {
    const { db } = this.services;
    const outcome = await this.attempt(row);
    const attempts = row.attempts + 1;
    if (outcome.delivered) {
      await db.updateTable('outbox').set({ attempts, delivered_at: nowIso(), last_error: null }).where('id', '=', row.id).execute();
      return;
    }
    const tooOld = Date.now() - Date.parse(row.created_at) > this.timing.giveUpAfterMs;
    const giveUp = outcome.retry === 'never' || tooOld;
    const cap = outcome.retry === 'later' ? this.timing.refusedMaxDelayMs : this.timing.maxDelayMs;
    const next = giveUp ? NEVER : new Date(Date.now() + retryDelay(attempts, { baseDelayMs: this.timing.baseDelayMs, maxDelayMs: cap })).toISOString();
    const lastError = giveUp ? `gave up: ${outcome.error}` : outcome.error;
    await db.updateTable('outbox').set({ attempts, next_attempt_at: next, last_error: lastError.slice(0, 1000) }).where('id', '=', row.id).execute();
    this.services.log.info({ outbox: row.id, kind: row.kind, attempts, error: outcome.error, giveUp }, 'outbox: delivery failed');
  }

  private async attempt(row: OutboxTable): Promise<Outcome> {
    const headers = fromJson<Record<string, string>>(row.headers, {});
    const carried: string[] = [];
    try {
      if (row.kind === UNSUBSCRIBE_KIND) {
        const appId = rowAppId(row);
        const app = appId ? await findAppRow(this.services.db, appId) : undefined;
        // Deleted while this attempt was starting: never send it unsigned instead.
        if (appId && !app) return { delivered: false, retry: 'never', error: 'the app was deleted' };
        // Read per attempt: after a rotation the new secret signs, with the previous one while they overlap.
        const secrets = app ? signingSecretsOf(app, this.services.vault) : [];
        // As the subscribe and every action call; from the body per attempt, so rows queued before the header existed carry it too.
        const installationId = fromJson<{ installationId?: string }>(row.body, {}).installationId;
        if (installationId) headers[APP_INSTALLATION_HEADER.toLowerCase()] = installationId;
        headers['user-agent'] = APP_USER_AGENT;
        if (secrets.length) Object.assign(headers, signHeaders(secrets, { id: headers['webhook-id'] ?? row.id, timestamp: new Date(), body: row.body }));
        // The body holds the installation's auth values: an answer echoing it must not show the secret ones in lastError.
        const authInputs = fromJson<{ authInputs?: AuthInput[] }>(app?.manifest ?? null, {}).authInputs ?? [];
        carried.push(...secrets, ...secretAuthValues(authInputs, fromJson<{ authValues?: AuthValues }>(row.body, {}).authValues ?? {}));
      }
      const res = await safeFetch(
        { method: 'POST', url: row.url, headers, body: row.body, timeoutMs: this.timing.requestTimeoutMs, maxResponseBytes: 64 * 1024 },
        { allowList: this.services.config.allowPrivateUrls },
      );
      if (res.status >= 200 && res.status < 300) return { delivered: true };
      const refused = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      return { delivered: false, retry: res.status === 410 ? 'never' : refused ? 'later' : 'soon', error: `HTTP ${res.status}: ${excerpt(res.bodyText, undefined, carried)}` };
    } catch (err) {
      const retriable = !(err && typeof err === 'object' && 'retriable' in err && err.retriable === false);
      return { delivered: false, retry: retriable ? 'soon' : 'never', error: err instanceof Error ? err.message : String(err) };
    }
  }
}
