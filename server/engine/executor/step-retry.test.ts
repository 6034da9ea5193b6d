import { describe, expect, it } from 'vitest';
import type { StepLogEntry } from '../../../lib/contracts/runs';
import { Step } from '../../../lib/contracts/steps';
import { RetryLaterError } from '../steps/define';
import { MAX_RETRY_AFTER_MS, mayRetry, retriesSoFar, retryOutcome, STEP_RETRY_DELAYS_S } from './step-retry';
import { startStep } from './step-start';

const NOW = Date.parse('2026-12-05T12:00:00.000Z');
const entry = (stepId: string, status: StepLogEntry['status'], startedAt = '2026-12-05T11:00:00.000Z'): StepLogEntry =>
  ({ stepId, type: 'send_message', status, startedAt, endedAt: startedAt });
const retries = (n: number, stepId = 's') => Array.from({ length: n }, () => entry(stepId, 'retrying'));

describe('retrying a step that did nothing', () => {
  it('waits the schedule: a minute, two, five, ten, twenty', () => {
    const waits = STEP_RETRY_DELAYS_S.map((_, n) => {
      const o = retryOutcome(new RetryLaterError('busy'), retries(n), 's', NOW);
      expect(o).toMatchObject({ kind: 'retry', error: 'busy', output: { retry: n + 1, of: 5 } });
      return (Date.parse((o as { wakeAt: string }).wakeAt) - NOW) / 1000;
    });
    expect(waits).toEqual([60, 120, 300, 600, 1200]);
  });

  it('honours a longer Retry-After, up to an hour; a shorter one does not hurry it', () => {
    const wait = (ms: number) => (Date.parse((retryOutcome(new RetryLaterError('busy', ms), [], 's', NOW) as { wakeAt: string }).wakeAt) - NOW);
    expect(wait(90_000)).toBe(90_000);
    expect(wait(5_000)).toBe(60_000);
    expect(wait(10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('fails after the last retry, saying how often and how long it tried', () => {
    const o = retryOutcome(new RetryLaterError('Chatwoot answered HTTP 503'), retries(STEP_RETRY_DELAYS_S.length), 's', NOW);
    expect(o).toEqual({ kind: 'fail', error: 'Chatwoot answered HTTP 503 (tried 6 times over 60 minutes; not tried again)' });
    expect(mayRetry(retries(STEP_RETRY_DELAYS_S.length), 's')).toBe(false);
    expect(mayRetry(retries(STEP_RETRY_DELAYS_S.length - 1), 's')).toBe(true);
  });

  it('counts only the retries in a row of this step: an earlier pass through it (a jump back) starts over', () => {
    const log = [...retries(3), entry('s', 'completed'), entry('t', 'completed'), ...retries(2)];
    expect(retriesSoFar(log, 's')).toHaveLength(2);
    expect(retriesSoFar(log, 't')).toHaveLength(0);
  });

  it('keeps the idempotency key across retries, so the outside effect is the same one', () => {
    const step = Step.parse({ id: 's', type: 'send_message', config: { text: 'hi' } });
    const row = { id: 'run1', workflow_id: 'w', workflow_version: 1, contact_id: 'c', conversation_id: null, depth: 0 } as never;
    const key = (stepLog: StepLogEntry[]) => startStep(row, { cursor: 0, variables: {}, stepLog, jumps: 0 }, step).idempotencyKey;
    expect(key([])).toBe('run1:s');
    expect(key(retries(2))).toBe('run1:s');
    expect(key([entry('s', 'completed')])).toBe('run1:s:2');
  });
});
