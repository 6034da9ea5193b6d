import { IncomingWebhookTrigger } from '../../lib/contracts/triggers';
import { HttpError } from '../http-error';
import { inTransaction } from '../events/unit-of-work';
import { fromJson, isUniqueViolation } from '../store/database';
import type { Services } from '../services';
import { verifySignature } from '../signing/standard-webhooks';
import { extractWebhook } from './identify';

export interface Ack { eventId: string; runIds: string[] }

/** The published webhook workflow behind a URL token, or 404. */
export async function webhookWorkflow(services: Services, token: string) {
  const row = await services.db.selectFrom('workflows').select(['id', 'status', 'definition'])
    .where('webhook_token', '=', token).executeTakeFirst();
  if (!row || row.status !== 'published') throw new HttpError(404, 'not_found', 'No published webhook workflow has this URL');
  const trigger = IncomingWebhookTrigger.safeParse(fromJson<{ trigger?: unknown }>(row.definition, {}).trigger);
  if (!trigger.success) throw new HttpError(404, 'not_found', 'No published webhook workflow has this URL');
  return { id: row.id, trigger: trigger.data };
}

async function previousAck(services: Services, key: string): Promise<Ack | undefined> {
  const event = await services.db.selectFrom('events').select('id').where('idempotency_key', '=', key).executeTakeFirst();
  if (!event) return undefined;
  const runs = await services.db.selectFrom('runs').select('id').where('event_id', '=', event.id).orderBy('id').execute();
  return { eventId: event.id, runIds: runs.map((r) => r.id) };
}

/**
 * Accepts one webhook delivery: verifies, identifies contacts, and stores the event with its runs
 * in one transaction before answering — a 202 means nothing can be lost any more.
 */
export async function ingestWebhook(
  services: Services, token: string, rawBody: string, body: unknown, headers: Record<string, string | string[] | undefined>,
): Promise<{ status: 202; ack: Ack; duplicate: boolean }> {
  const workflow = await webhookWorkflow(services, token);
  let deliveryId: string | undefined;
  if (workflow.trigger.signingSecret) {
    const verified = verifySignature(workflow.trigger.signingSecret, headers, rawBody);
    if (!verified.ok) throw new HttpError(401, 'invalid_signature', `Signature check failed: ${verified.reason}`);
    deliveryId = verified.id;
  } else {
    const key = headers['idempotency-key'];
    deliveryId = typeof key === 'string' && key.trim() ? key.trim().slice(0, 200) : undefined;
  }
  const idempotencyKey = deliveryId ? `hook:${workflow.id}:${deliveryId}` : undefined;
  if (idempotencyKey) {
    const previous = await previousAck(services, idempotencyKey);
    if (previous) return { status: 202, ack: previous, duplicate: true };
  }
  const extraction = await extractWebhook(services.db, workflow.trigger, body);
  if (extraction.identifier.error) {
    throw new HttpError(422, 'contact_not_identified', `Cannot identify the contact: ${extraction.identifier.error}`,
      [{ path: `body${extraction.identifier.jsonKey.slice(1)}`, message: extraction.identifier.error }]);
  }
  if (extraction.contactIds.length === 0) {
    throw new HttpError(422, 'contact_not_found', `No contact with ${extraction.identifier.type} ${extraction.unmatched.join(', ')}`,
      [{ path: `body${extraction.identifier.jsonKey.slice(1)}`, message: `No contact matches this ${extraction.identifier.type}` }]);
  }
  try {
    const ack = await inTransaction(services.db, async (uow) => {
      const result = await services.events.record(uow, {
        type: 'webhook.received',
        payload: { workflowId: workflow.id, contactIds: extraction.contactIds, variables: extraction.variables, errors: extraction.errors },
      }, { source: 'api', ...(idempotencyKey ? { idempotencyKey } : {}) });
      if (extraction.errors.length > 0 && result.runIds.length > 0) {
        // Mapping errors belong to the run: its log starts with them, the variables stay empty.
        const entry = {
          stepId: 'trigger', type: 'trigger', status: 'completed',
          notes: extraction.errors.map((e) => `mapping ${e.variable}: ${e.message}`),
          output: { variables: extraction.variables }, startedAt: new Date().toISOString(), endedAt: new Date().toISOString(),
        };
        await uow.trx.updateTable('runs').set({ step_log: JSON.stringify([entry]) }).where('id', 'in', result.runIds).execute();
      }
      return result;
    });
    return { status: 202, ack, duplicate: false };
  } catch (err) {
    // Two deliveries with the same id at once: the second answers like the first.
    if (idempotencyKey && isUniqueViolation(err)) {
      const previous = await previousAck(services, idempotencyKey);
      if (previous) return { status: 202, ack: previous, duplicate: true };
    }
    throw err;
  }
}
