import { sql } from 'kysely';
import type { WebhookDelivery } from '../../lib/contracts/webhook-deliveries';
import { fromJson, type Executor } from '../store/database';

// A webhook workflow's recent deliveries, read from their events (`webhook.received`, kept
// RUN_RETENTION_DAYS). The events table has no workflow column: batch-ingest.ts writes the payload
// with `workflowId` first, so its opening text picks a workflow's events without parsing every
// payload (the parse below checks it).

const opening = (workflowId: string) => `{"workflowId":${JSON.stringify(workflowId)},`;

export async function webhookDeliveries(db: Executor, workflowId: string, limit: number, cursor?: string): Promise<{ deliveries: WebhookDelivery[]; nextCursor: string | null }> {
  const prefix = opening(workflowId);
  let q = db.selectFrom('events').select(['id', 'payload', 'note', 'run_ids', 'created_at'])
    .where('type', '=', sql.lit('webhook.received'))
    .where(sql<string>`substr(payload, 1, ${prefix.length})`, '=', prefix);
  if (cursor) q = q.where('id', '<', cursor);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const deliveries = rows.slice(0, limit).flatMap((r) => {
    const p = fromJson<{ workflowId?: unknown; contactIds?: unknown; unmatched?: unknown }>(r.payload, {});
    if (p.workflowId !== workflowId) return [];
    const runIds = fromJson<unknown>(r.run_ids, null);
    return [{
      eventId: r.id, receivedAt: r.created_at, contactIds: strings(p.contactIds), unmatched: strings(p.unmatched),
      runIds: Array.isArray(runIds) ? strings(runIds) : null, note: r.note,
    }];
  });
  return { deliveries, nextCursor: rows.length > limit ? rows[limit - 1]!.id : null };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
