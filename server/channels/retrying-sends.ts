import { nowIso } from '../ids';
import type { Executor } from '../store/database';

/**
 * A message a run was going to send again (Meta throttling or down; deliver.ts `retryLater`)
 * will not be, because the run ended (cancelled, or failed at that step or another): it is failed
 * with the reason, so the inbox does not say "will try again" for good. Its send key starts with
 * the run's id. Returns the messages changed, for their conversations' live updates.
 */
export async function settleRetryingSends(db: Executor, runId: string, reason: string) {
  // A range on the unique send_key index: every key `${runId}:…` sorts between these two.
  const rows = await db.selectFrom('messages').select(['id', 'conversation_id'])
    .where('send_key', '>=', `${runId}:`).where('send_key', '<', `${runId};`).where('delivery_status', '=', 'retrying').execute();
  if (rows.length === 0) return rows;
  await db.updateTable('messages').set({ delivery_status: 'failed', delivery_error: reason, delivery_updated_at: nowIso() })
    .where('id', 'in', rows.map((r) => r.id)).execute();
  return rows;
}
