import type { AssignToConfigValue } from '../contracts/step-assign-to';

const PICK_SAID = { round_robin: 'takes turns (round robin)', least_open: 'picks whoever has the fewest open conversations' } as const;

/**
 * An Assign to step that picks among users with nobody listed would fail every run that reaches
 * it; a draft may hold it (the admin picks the rule, then the people), publishing may not.
 */
export function emptyPoolProblem(config: AssignToConfigValue, index: number, stepId: string): string | undefined {
  const pick = config.pick ?? 'user';
  if (pick === 'user' || pick === 'team' || (config.userIds ?? []).length > 0) return undefined;
  return `Step ${index + 1} ("${stepId}") ${PICK_SAID[pick]} among no one: choose the users to assign`;
}
