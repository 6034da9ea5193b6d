import { describe, expect, it } from 'vitest';
import { WorkflowDefinition } from '../contracts/workflow';
import { emptyPoolProblem } from './assign-pool';
import { deactivatedAssignees } from './deactivated-assignees';
import { idReferences, rewriteIds } from './references';

// An Assign to step picking among a list, seen by the pure checks the server and the options page
// share: publishing (an empty list), the launcher's "unavailable" (only when everyone listed is
// deactivated: one of them is simply skipped), and a workflow file's users (each listed one).

const def = WorkflowDefinition.parse({
  name: 'In turn',
  trigger: { type: 'manual' },
  steps: [{ id: 'turns', type: 'assign_to', config: { pick: 'round_robin', userIds: ['usr_1', 'usr_2'] } }],
});

describe('an Assign to step with a list', () => {
  it.each([
    [{ pick: 'round_robin' as const, userIds: [] }, 'Step 2 ("s") takes turns (round robin) among no one: choose the users to assign'],
    [{ pick: 'least_open' as const }, 'Step 2 ("s") picks whoever has the fewest open conversations among no one: choose the users to assign'],
    [{ pick: 'least_open' as const, userIds: ['usr_1'] }, undefined],
    [{ userId: 'usr_1' }, undefined],
  ])('publishing %j: %s', (config, problem) => {
    expect(emptyPoolProblem(config, 1, 's')).toBe(problem);
  });

  it('makes a shortcut unavailable only when everyone listed is deactivated', () => {
    expect(deactivatedAssignees(def.steps, new Map([['usr_1', 'Ana']]))).toEqual([]);
    expect(deactivatedAssignees(def.steps, new Map([['usr_1', 'Ana'], ['usr_2', 'Bo']]))).toEqual([
      { stepId: 'turns', userId: 'usr_1', name: 'Ana' }, { stepId: 'turns', userId: 'usr_2', name: 'Bo' },
    ]);
  });

  it('names each listed user in a workflow file, and maps each to this server\'s user', () => {
    expect(idReferences(def).map((r) => [r.kind, r.id, r.path])).toEqual([['user', 'usr_1', 'steps.0.config.userIds.0'], ['user', 'usr_2', 'steps.0.config.userIds.1']]);
    const mapped = rewriteIds(def, (kind, id) => (kind === 'user' ? id.replace('usr_', 'usr_X') : undefined));
    expect(mapped.steps[0]!.config).toEqual({ pick: 'round_robin', userIds: ['usr_X1', 'usr_X2'] });
  });
});
