import { z } from 'zod';

/**
 * What POST /hooks/:token answers (202): the stored event and the runs it started, and the
 * identifier values that matched no contact (once each, as sent; `[]` when all matched). A
 * delivery none of whose values match is refused (422) instead. A repeat of a delivery (same
 * `webhook-id` or `Idempotency-Key`) gets the first answer again.
 */
export const WebhookAck = z.object({
  eventId: z.string(),
  runIds: z.array(z.string()),
  unmatched: z.array(z.string()).describe('Identifier values of the body that matched no contact (no run was started for them)'),
});
export type WebhookAck = z.infer<typeof WebhookAck>;

const MappedScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What POST /workflows/:id/webhook/test answers: what a sample body would yield. */
export const WebhookTestResult = z.object({
  identifier: z.object({ type: z.string(), jsonKey: z.string(), values: z.array(z.string()), error: z.string().optional() }),
  contactIds: z.array(z.string()),
  unmatched: z.array(z.string()),
  /** A path selecting several values (`$.items[*].sku`), or one array, gives a list. */
  variables: z.record(z.string(), z.union([MappedScalar, z.array(MappedScalar)])),
  errors: z.array(z.object({ variable: z.string(), jsonKey: z.string(), message: z.string() })),
});
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;
