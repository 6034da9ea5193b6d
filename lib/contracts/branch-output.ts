import { z } from 'zod';

/**
 * A Branch step's output as the run log keeps it (server/engine/steps/branch.ts): the branch
 * taken (`else` when none held), the step it went to, and every branch tried, in order, with each
 * condition checked as written, the value the variable had (already cut by the server) and
 * whether it held. Runs logged before this was kept have no `checked`: they fail to parse here and
 * the run history shows their raw output only.
 */
export const CheckedCondition = z.object({
  condition: z.string(),
  /** The variable side as written (`{{$contact.fields.plan}}`), so run details can name it as the builder does; logs kept before it have none. */
  left: z.string().optional(),
  value: z.unknown(),
  holds: z.boolean(),
});
export type CheckedCondition = z.infer<typeof CheckedCondition>;

/**
 * A condition the run did not check because an earlier one already decided its branch (an "and"
 * after one that failed, an "or" after one that held): listed so the run details show every
 * condition, this one as not checked. Logs kept before it have none.
 */
export const SkippedCondition = z.object({ condition: z.string(), left: z.string() });
export type SkippedCondition = z.infer<typeof SkippedCondition>;

export const CheckedBranch = z.object({
  branch: z.string(),
  matched: z.boolean(),
  conditions: z.array(CheckedCondition),
  // Apart from `conditions`: an older extension reading a newer log shows the checked ones as before.
  skipped: z.array(SkippedCondition).optional(),
});
export type CheckedBranch = z.infer<typeof CheckedBranch>;

export const BranchOutput = z.object({ branch: z.string(), goTo: z.string().optional(), checked: z.array(CheckedBranch) });
export type BranchOutput = z.infer<typeof BranchOutput>;
