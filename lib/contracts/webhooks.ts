import { z } from 'zod';

/** What POST /workflows/:id/webhook/test answers: what a sample body would yield. */
export const WebhookTestResult = z.object({
  identifier: z.object({ type: z.string(), jsonKey: z.string(), values: z.array(z.string()), error: z.string().optional() }),
  contactIds: z.array(z.string()),
  unmatched: z.array(z.string()),
  variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  errors: z.array(z.object({ variable: z.string(), jsonKey: z.string(), message: z.string() })),
});
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;
