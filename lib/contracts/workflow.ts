import { z } from 'zod';
import { Step } from './steps';
import { Trigger, TriggerType } from './triggers';
import { addDuplicateIssues, Id, IsoDateTime } from './workflow-primitives';
import { CancelRunsResult } from './runs';

export const MAX_STEPS = 100;

export const WORKFLOW_STATUSES = ['draft', 'published'] as const;
export const WorkflowStatus = z.enum(WORKFLOW_STATUSES);
export type WorkflowStatus = z.infer<typeof WorkflowStatus>;

const definitionShape = {
  name: z.string().trim().min(1, 'Give the workflow a name').max(100, 'A name has at most 100 characters'),
  trigger: Trigger,
  oncePerContact: z.boolean().default(false),
  steps: z.array(Step).max(MAX_STEPS, `A workflow has at most ${MAX_STEPS} steps`),
};

type DefinitionLike = { trigger: Trigger; oncePerContact: boolean; steps: Step[] };

// Checks shared by every shape that carries a definition. References between steps
// (jump targets, template variables) are lib/workflow's structuralProblems: drafts may hold them.
function checkDefinition(def: DefinitionLike, ctx: z.RefinementCtx): void {
  // oncePerContact is allowed on every trigger, manual too (trigger documentation: "Each Trigger
  // setting has an Advanced Settings toggle … Trigger once per contact").
  addDuplicateIssues(def.steps, (s) => s.id, ctx, 'Step id', (i) => ['steps', i, 'id']);
}

export const WorkflowDefinition = z.object(definitionShape).superRefine(checkDefinition);
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;
export type WorkflowDefinitionInput = z.input<typeof WorkflowDefinition>;

export const WorkflowCreateBody = z
  .object({ ...definitionShape, status: WorkflowStatus.default('draft') })
  .superRefine(checkDefinition);
export type WorkflowCreateBody = z.infer<typeof WorkflowCreateBody>;

export const WorkflowUpdateBody = WorkflowDefinition;
export type WorkflowUpdateBody = z.infer<typeof WorkflowUpdateBody>;

/**
 * What of a workflow is stored sealed under another secret key than this server's (a database
 * moved without its key, a row written by an instance with a key of its own): left out of the
 * answer instead of failing it, so the list still shows every workflow.
 */
export const UnreadableSecrets = z.array(z.enum(['url', 'signingSecret'])).min(1)
  .describe('Present when the webhook URL (`url`) or signing secret (`signingSecret`) was sealed with another secret key than this server\'s and cannot be shown: regenerate the URL (POST /workflows/{id}/webhook/regenerate) and set the secret again (PUT). Deliveries to the URL still arrive; while the signing secret cannot be read they are refused (503 `signing_secret_unreadable`).');

export const Workflow = z
  .object({
    id: Id,
    ...definitionShape,
    status: WorkflowStatus,
    version: z.number().int().min(1),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    publishedAt: IsoDateTime.nullable(),
    unreadableSecrets: UnreadableSecrets.optional(),
  })
  .superRefine(checkDefinition);
export type Workflow = z.infer<typeof Workflow>;

export const WorkflowList = z.object({ workflows: z.array(Workflow) });
export type WorkflowList = z.infer<typeof WorkflowList>;

/** A row of the workflows list: the workflow plus what the list shows about it. */
export const WorkflowSummary = Workflow.safeExtend({
  triggerType: TriggerType,
  lastRunAt: z.string().nullable(),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;
/**
 * GET /workflows: a page by name; pass `nextCursor` back as `cursor` for the next (null: no more).
 * `total` counts every workflow the filters match, not the page (as GET /contacts' does).
 */
export const WorkflowSummaryList = z.object({ workflows: z.array(WorkflowSummary), nextCursor: z.string().nullable(), total: z.number().int().min(0) });

/**
 * POST /workflows/:id/unpublish: `cancelRuns` also cancels its unfinished runs, in the same
 * transaction (else they go on, on the version they started with).
 */
export const UnpublishBody = z.object({ cancelRuns: z.boolean().optional() }).strict();
export type UnpublishBody = z.infer<typeof UnpublishBody>;
/** Its answer: the workflow, and with `cancelRuns` the runs that were cancelled. */
export const UnpublishResult = Workflow.safeExtend({ cancelledRuns: CancelRunsResult.optional() });
export type UnpublishResult = z.infer<typeof UnpublishResult>;
