import type { AppDelivery } from '../../lib/contracts/apps';
import { withoutIssuedTokens } from '../outbound/excerpt';
import { fromJson, type Executor } from '../store/database';
import type { OutboxTable } from '../store/schema';

// Outbox rows as the admin sees them on the app (GET /apps, the options page's app card): what
// has not reached the app's server yet, and why. Rows name their app only in the body (the
// unsubscribe request's appId); undelivered rows are few (the outbox_due index finds them).

/** An unsubscribe request to an app's server; its body names the app whose secret signs it. */
export const UNSUBSCRIBE_KIND = 'app.unsubscribe';

/** `next_attempt_at` of a row given up: never due again unless retried by hand. */
export const NEVER = '9999-12-31T23:59:59.999Z';

type Row = Pick<OutboxTable, 'id' | 'kind' | 'body' | 'attempts' | 'last_error' | 'next_attempt_at' | 'created_at' | 'delivered_at'>;

export const rowAppId = (row: Pick<OutboxTable, 'body'>) => fromJson<{ appId?: string }>(row.body, {}).appId;

export function toDelivery(row: Row): AppDelivery {
  const status = row.delivered_at ? 'delivered' : row.next_attempt_at >= NEVER ? 'failed' : 'pending';
  return {
    id: row.id,
    kind: 'unsubscribe',
    installationId: fromJson<{ installationId?: string }>(row.body, {}).installationId ?? null,
    status,
    attempts: row.attempts,
    // Rows stored before answers were scrubbed may quote a key.
    lastError: row.last_error === null ? null : withoutIssuedTokens(row.last_error),
    nextAttemptAt: status === 'pending' ? row.next_attempt_at : null,
    createdAt: row.created_at,
  };
}

/** Undelivered requests by app id (all apps, or one), oldest first. */
export async function undeliveredByApp(db: Executor, appId?: string): Promise<Map<string, AppDelivery[]>> {
  const rows = await db.selectFrom('outbox').select(['id', 'kind', 'body', 'attempts', 'last_error', 'next_attempt_at', 'created_at', 'delivered_at'])
    .where('delivered_at', 'is', null).where('kind', '=', UNSUBSCRIBE_KIND).orderBy('created_at').orderBy('id').execute();
  const byApp = new Map<string, AppDelivery[]>();
  for (const row of rows) {
    const id = rowAppId(row);
    if (!id || (appId && id !== appId)) continue;
    byApp.set(id, [...(byApp.get(id) ?? []), toDelivery(row)]);
  }
  return byApp;
}
