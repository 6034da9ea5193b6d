import type { StepLogEntry } from '../../../lib/contracts/runs';
import { END_WORKFLOW, type Step } from '../../../lib/contracts/steps';
import type { StepOutcome } from '../steps/define';

/**
 * DESIGN §7: a run may jump at most 10 times. Only jumps back (to this step or an earlier one)
 * count: only they can loop, and a path of forward jumps ends on its own.
 */
export const MAX_JUMPS = 10;

export interface RunState {
  cursor: number;
  variables: Record<string, unknown>;
  stepLog: StepLogEntry[];
  jumps: number;
}

export type NextState = RunState & (
  | { status: 'running' }
  | { status: 'waiting'; wakeAt: string }
  // endedAt: when the run ended, if it was written later (a round's checkpoints come after its runs).
  | { status: 'completed'; endedAt?: string }
  | { status: 'failed'; error: string; endedAt?: string }
);

type EntryBase = Omit<StepLogEntry, 'status' | 'output' | 'error'>;

/**
 * The one place a step outcome moves a run: cursor, jumps, `$step` variables, log entry and
 * status. Pure, so every rule is tested with a table.
 */
export function applyOutcome(state: RunState, steps: readonly Step[], outcome: StepOutcome, base: EntryBase): NextState {
  const entry = (status: StepLogEntry['status'], extra: { output?: unknown; error?: string } = {}): StepLogEntry => ({
    ...base,
    status,
    ...(extra.output !== undefined ? { output: extra.output } : {}),
    ...(extra.error !== undefined ? { error: extra.error } : {}),
    ...(base.notes && base.notes.length > 0 ? { notes: base.notes } : {}),
  });
  const failed = (error: string, output?: unknown): NextState =>
    ({ ...state, stepLog: [...state.stepLog, entry('failed', { error, output })], status: 'failed', error });

  const withStepVariables = (stepVariables: Record<string, unknown> | undefined) => (stepVariables && Object.keys(stepVariables).length > 0
    ? { ...state.variables, step: { ...asRecord(state.variables.step), ...stepVariables } }
    : state.variables);
  switch (outcome.kind) {
    case 'next': {
      const variables = withStepVariables(outcome.stepVariables);
      const cursor = state.cursor + 1;
      const stepLog = [...state.stepLog, entry('completed', { output: outcome.output })];
      return cursor >= steps.length
        ? { cursor, variables, stepLog, jumps: state.jumps, status: 'completed' }
        : { cursor, variables, stepLog, jumps: state.jumps, status: 'running' };
    }
    case 'goto': {
      if (outcome.stepId === END_WORKFLOW) {
        // "End the workflow" chosen as this step's target: the run completes here, its log says why.
        const ended = entry('completed', { output: { ...asRecord(outcome.output), goTo: END_WORKFLOW } });
        return {
          ...state, cursor: steps.length, status: 'completed', variables: withStepVariables(outcome.stepVariables),
          stepLog: [...state.stepLog, { ...ended, notes: [...(ended.notes ?? []), 'The workflow ended here: this step\'s choice was "End the workflow"'] }],
        };
      }
      const target = steps.findIndex((s) => s.id === outcome.stepId);
      if (target < 0) return failed(`Cannot jump to step "${outcome.stepId}": no such step in this workflow version`, outcome.output);
      // jump_to and branch alike: a jump counts when it goes back (only then can it loop). Forward
      // jumps (branch-then-jump-to-end) were counted too and failed runs that could never loop.
      const jumps = state.jumps + (target <= state.cursor ? 1 : 0);
      if (jumps > MAX_JUMPS) return failed(tooManyJumps(base.stepId, outcome.stepId), outcome.output);
      return {
        ...state, cursor: target, jumps, status: 'running', variables: withStepVariables(outcome.stepVariables),
        stepLog: [...state.stepLog, entry('completed', { output: { ...asRecord(outcome.output), goTo: outcome.stepId } })],
      };
    }
    case 'pause':
      return {
        ...state, cursor: outcome.stay ? state.cursor : state.cursor + 1, status: 'waiting', wakeAt: outcome.wakeAt,
        stepLog: [...state.stepLog, entry('completed', { output: outcome.output ?? { wakeAt: outcome.wakeAt } })],
      };
    case 'fail':
      return failed(outcome.error, outcome.output);
    case 'retry':
      // Same cursor: the step runs again when the run wakes.
      return { ...state, status: 'waiting', wakeAt: outcome.wakeAt, stepLog: [...state.stepLog, entry('retrying', { error: outcome.error, output: outcome.output })] };
    case 'complete':
      return { ...state, cursor: steps.length, status: 'completed', stepLog: [...state.stepLog, entry('completed', { output: outcome.output })] };
  }
}

/** The loop limit's message: which jump went over it, and how to let the loop end. */
export const tooManyJumps = (from: string, to: string) =>
  `Too many jumps back: a run may jump back (loop) at most ${MAX_JUMPS} times, and step "${from}" jumping back to "${to}" `
  + `was jump ${MAX_JUMPS + 1}; jumps forward do not count. Let the loop end within ${MAX_JUMPS} rounds `
  + '(a Branch that goes forward once it is done).';

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
