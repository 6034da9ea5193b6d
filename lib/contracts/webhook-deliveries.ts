import { z } from 'zod';
import { Timestamp } from './common';
import { idCursor, listQuery, pageLimit } from './list-query';

/**
 * `GET /workflows/:id/webhook/deliveries`: what the workflow's webhook URL received lately, newest
 * first, each with whom it named and why no run started when none did (a guest order naming no
 * contact, once per contact): a delivery answered 202 without a run is never lost from sight.
 */
export const WebhookDelivery = z.object({
  eventId: z.string(),
  receivedAt: Timestamp,
  contactIds: z.array(z.string()).describe('The contacts the delivery named: a run each unless the note says otherwise'),
  unmatched: z.array(z.string()).describe('Identifier values that matched no contact (no run for them)'),
  runIds: z.array(z.string()).nullable().describe('The runs it started; known for keyed deliveries: Idempotency-Key, webhook-id or a sender delivery id such as X-Shopify-Webhook-Id (else null: see the run history)'),
  note: z.string().nullable().describe('Why a run did not start, e.g. "No contact with phone +14155550199; no run started"'),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDelivery), nextCursor: z.string().nullable() });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;
export const WebhookDeliveryQuery = listQuery({
  limit: pageLimit(20, 100),
  /** The `nextCursor` of the page before. */
  cursor: idCursor('evt').optional(),
});
