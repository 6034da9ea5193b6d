import { z } from 'zod';
import { Ad } from '../../lib/contracts/ads';
import { TriggerType } from '../../lib/contracts/triggers';
import { Workflow } from '../../lib/contracts/workflow';

// TODO(contracts): these two answers are declared next to their routes on the server
// (server/engine/workflows/queries.ts WorkflowSummary, server/routes/ads AdWithEligibility);
// restated here until they move to lib/contracts, which is where both sides should import them.

export const WorkflowSummary = Workflow.safeExtend({
  triggerType: TriggerType.optional(),
  lastRunAt: z.string().nullable().optional(),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;
export const WorkflowSummaryList = z.object({ workflows: z.array(WorkflowSummary) });

export const AdWithEligibility = Ad.extend({ eligible: z.boolean(), reasons: z.array(z.string()) });
export type AdWithEligibility = z.infer<typeof AdWithEligibility>;
export const AdCatalog = z.object({ ads: z.array(AdWithEligibility) });

export const WebhookTestResult = z.object({
  identifier: z.object({ type: z.string(), jsonKey: z.string(), values: z.array(z.string()), error: z.string().optional() }),
  contactIds: z.array(z.string()),
  unmatched: z.array(z.string()),
  variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  errors: z.array(z.object({ variable: z.string(), jsonKey: z.string(), message: z.string() })),
});
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;
