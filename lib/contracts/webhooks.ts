import { z } from 'zod';

/**
 * What POST /hooks/:token answers (202): the stored event and the runs it started, and the
 * identifier values that matched no contact (once each, as sent; `[]` when all matched), and why
 * a matched contact got no run (`notes`, as respond.io shows skipped enrolments). A
 * delivery none of whose values match is refused (422) instead. A repeat of a delivery (same
 * `webhook-id` or `Idempotency-Key`, else the sender's own delivery id: `X-Shopify-Webhook-Id`,
 * `X-GitHub-Delivery`, `svix-id`) gets the first answer again.
 */
export const WebhookAck = z.object({
  eventId: z.string(),
  runIds: z.array(z.string()),
  unmatched: z.array(z.string()).describe('Identifier values of the body that matched no contact (no run was started for them)'),
  notes: z.array(z.string()).optional()
    .describe('Why a matched contact got no run (left out when every one got one), as the event log says it: e.g. "once per contact: already enrolled, not started: <workflow> for <contact>"'),
});
export type WebhookAck = z.infer<typeof WebhookAck>;

const MappedScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const MappedVariables = z.record(z.string(), z.union([MappedScalar, z.array(MappedScalar)]));
const MappingErrors = z.array(z.object({ variable: z.string(), jsonKey: z.string(), message: z.string() }));

/** One item of a batch in the tester: who it names and the variables its runs get. */
export const WebhookTestItem = z.object({
  path: z.string().describe('The item in the body, e.g. $.orders[1]'),
  identifier: z.array(z.string()).describe('Its identifier values'),
  contactIds: z.array(z.string()).describe('The contacts they match: one run each'),
  variables: MappedVariables.describe("Every variable as this item's runs get it"),
  errors: MappingErrors,
});

/** What POST /workflows/:id/webhook/test answers: what a sample body would yield. */
export const WebhookTestResult = z.object({
  identifier: z.object({ type: z.string(), jsonKey: z.string(), values: z.array(z.string()), error: z.string().optional() }),
  contactIds: z.array(z.string()),
  unmatched: z.array(z.string()),
  /** What each path selects in the whole body: a path selecting several values (`$.items[*].sku`), or one array, gives a list. */
  variables: MappedVariables,
  errors: MappingErrors,
  items: z.array(WebhookTestItem).optional()
    .describe('Only when the identifier iterates ($[*].email): per item, what its runs get (mappings through the same array read from the item)'),
});
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;
