import { z } from 'zod';

/**
 * A Branch step's output as the run log keeps it (server/engine/steps/branch.ts): the branch
 * taken (`else` when none held), the step it went to, and every branch tried, in order, with each
 * condition checked as written, the value the variable had (already cut by the server) and
 * whether it held. Runs logged before this was kept have no `checked`: they fail to parse here and
 * the run history shows their raw output only.
 */
export const CheckedCondition = z.object({ condition: z.string(), value: z.unknown(), holds: z.boolean() });
export type CheckedCondition = z.infer<typeof CheckedCondition>;

export const CheckedBranch = z.object({ branch: z.string(), matched: z.boolean(), conditions: z.array(CheckedCondition) });
export type CheckedBranch = z.infer<typeof CheckedBranch>;

export const BranchOutput = z.object({ branch: z.string(), goTo: z.string().optional(), checked: z.array(CheckedBranch) });
export type BranchOutput = z.infer<typeof BranchOutput>;
