import { describe, expect, it } from 'vitest';
import { Step, type StepInput } from '../../../lib/contracts/steps';
import type { StepOutcome } from '../steps/define';
import { applyOutcome, MAX_JUMPS, type RunState } from './transition';

const steps = ([
  { id: 'a', type: 'add_comment', config: { text: 'a' } },
  { id: 'b', type: 'branch', config: { branches: [{ name: 'x', conditions: { logic: 'and', rules: [{ left: '{{$trigger.x}}', operator: 'exists' }] }, goTo: 'a' }] } },
  { id: 'j', type: 'jump_to', config: { stepId: 'c' } },
  { id: 'c', type: 'wait', config: { seconds: 5 } },
  { id: 'back', type: 'jump_to', config: { stepId: 'a' } },
] satisfies StepInput[]).map((s) => Step.parse(s));

const at0 = '2025-01-01T00:00:00.000Z';
const at = (cursor: number, jumps = 0, variables: Record<string, unknown> = { trigger: {} }): RunState => ({ cursor, jumps, variables, stepLog: [] });
const base = (cursor: number) => ({ stepId: steps[cursor]!.id, type: steps[cursor]!.type, startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:00:01.000Z', notes: [] });

describe('applyOutcome', () => {
  it.each<[string, RunState, StepOutcome, Record<string, unknown>]>([
    ['next moves on', at(0), { kind: 'next' }, { status: 'running', cursor: 1, jumps: 0 }],
    ['next past the last step completes', at(4), { kind: 'next' }, { status: 'completed', cursor: 5 }],
    ['a forward jump_to does not count', at(2, 3), { kind: 'goto', stepId: 'c' }, { status: 'running', cursor: 3, jumps: 3 }],
    ['a backward jump_to counts', at(4, 3), { kind: 'goto', stepId: 'a' }, { status: 'running', cursor: 0, jumps: 4 }],
    ['a backward branch counts', at(1, 3), { kind: 'goto', stepId: 'a' }, { status: 'running', cursor: 0, jumps: 4 }],
    ['a forward branch does not count', at(1, 3), { kind: 'goto', stepId: 'c' }, { status: 'running', cursor: 3, jumps: 3 }],
    ['a jump to the same step counts (it loops)', at(3, 3), { kind: 'goto', stepId: 'c' }, { status: 'running', cursor: 3, jumps: 4 }],
    [`a forward jump_to past ${MAX_JUMPS} jumps back still goes`, at(2, MAX_JUMPS), { kind: 'goto', stepId: 'c' }, { status: 'running', cursor: 3, jumps: MAX_JUMPS }],
    [`jump back ${MAX_JUMPS + 1} fails, saying which and what to do`, at(4, MAX_JUMPS), { kind: 'goto', stepId: 'a' }, {
      status: 'failed',
      error: expect.stringMatching(/^Too many jumps back: a run may jump back \(loop\) at most 10 times, and step "back" jumping back to "a" was jump 11; jumps forward do not count\. Let the loop end within 10 rounds/),
    }],
    ['a jump to a missing step fails', at(2), { kind: 'goto', stepId: 'zz' }, { status: 'failed', error: expect.stringMatching(/"zz"/) }],
    ['"$end" (End the workflow) completes the run there, whatever follows', at(1, MAX_JUMPS), { kind: 'goto', stepId: '$end', output: { branch: 'Sofa lead' } }, { status: 'completed', cursor: 5, jumps: MAX_JUMPS }],
    ['pause waits at the next step', at(3), { kind: 'pause', wakeAt: '2025-01-01T00:00:05.000Z' }, { status: 'waiting', cursor: 4, wakeAt: '2025-01-01T00:00:05.000Z' }],
    ['pause that stays resumes the same step', at(3), { kind: 'pause', wakeAt: '2025-01-01T00:00:05.000Z', stay: true }, { status: 'waiting', cursor: 3, wakeAt: '2025-01-01T00:00:05.000Z' }],
    ['fail keeps the cursor', at(0), { kind: 'fail', error: 'boom' }, { status: 'failed', cursor: 0, error: 'boom' }],
    ['complete ends early', at(0), { kind: 'complete' }, { status: 'completed', cursor: 5 }],
  ])('%s', (_name, state, outcome, expected) => {
    const next = applyOutcome(state, steps, outcome, base(state.cursor));
    expect(next).toMatchObject(expected);
    expect(next.stepLog).toHaveLength(1);
    expect(next.stepLog[0]!.status).toBe(next.status === 'failed' ? 'failed' : 'completed');
  });

  it('a path of forward jumps of any length completes (branch-then-jump-to-end, no loop)', () => {
    // 12 blocks of [branch to the next block | jump_to the end]; the run takes each jump_to.
    const blocks = Array.from({ length: 12 }, (_, i): StepInput[] => [
      { id: `c${i}`, type: 'add_comment', config: { text: `${i}` } },
      { id: `j${i}`, type: 'jump_to', config: { stepId: i === 11 ? 'end' : `c${i + 1}` } },
    ]).flat();
    const path = ([...blocks, { id: 'end', type: 'add_comment', config: { text: 'end' } }] satisfies StepInput[]).map((s) => Step.parse(s));
    let state: RunState & { status?: string } = at(0);
    for (let guard = 0; guard < 100 && state.status !== 'completed' && state.status !== 'failed'; guard++) {
      const step = path[state.cursor]!;
      const outcome: StepOutcome = step.type === 'jump_to' ? { kind: 'goto', stepId: step.config.stepId } : { kind: 'next' };
      state = applyOutcome(state, path, outcome, { stepId: step.id, type: step.type, startedAt: at0, endedAt: at0 });
    }
    expect(state).toMatchObject({ status: 'completed', jumps: 0 });
    expect(state.stepLog).toHaveLength(path.length);
  });

  it('retry waits at the same step and logs it as retrying, with the reason', () => {
    const next = applyOutcome(at(0), steps, { kind: 'retry', error: 'HTTP 429', wakeAt: '2025-01-01T00:01:00.000Z', output: { retry: 1, of: 5 } }, base(0));
    expect(next).toMatchObject({ status: 'waiting', cursor: 0, wakeAt: '2025-01-01T00:01:00.000Z' });
    expect(next.stepLog).toEqual([expect.objectContaining({ stepId: 'a', status: 'retrying', error: 'HTTP 429', output: { retry: 1, of: 5 } })]);
  });

  it('merges step variables into $step and keeps notes in the log entry', () => {
    const next = applyOutcome(at(0, 0, { trigger: { a: 1 }, step: { old: 1 } }), steps, { kind: 'next', output: { status: 200 }, stepVariables: { id: 'T' } },
      { ...base(0), notes: ['Unknown variable $x rendered empty'] });
    expect(next.variables).toEqual({ trigger: { a: 1 }, step: { old: 1, id: 'T' } });
    expect(next.stepLog[0]).toMatchObject({ output: { status: 200 }, notes: ['Unknown variable $x rendered empty'] });
  });
});
