import { describe, expect, it } from 'vitest';
import type { StepLogEntry } from '../../../lib/contracts/runs';
import { runLineDue, runLineText } from './run-activity';
import type { NextState } from './transition';

const entry = (stepId: string, status: StepLogEntry['status'], error?: string): StepLogEntry => ({
  stepId, type: 'http_request', status, startedAt: '2025-01-01T09:00:00.000Z', endedAt: '2025-01-01T09:00:01.000Z', ...(error ? { error } : {}),
});
const state = (stepLog: StepLogEntry[]) => ({ cursor: 0, variables: {}, jumps: 0, stepLog });
const wake = '2025-01-01T09:40:00.000Z';
const BLOCKED = 'POST http://127.0.0.1:1/crm: refusing to connect to 127.0.0.1: loopback address. To allow it, add "127.0.0.1" to COMPANION_ALLOW_PRIVATE_URLS (comma-separated hosts or IPs).';

describe('runLineText: what a checkpoint says in the run\'s conversation', () => {
  it.each<[string, NextState, number | undefined, string | null]>([
    ['a run going on says nothing', { ...state([entry('a', 'completed')]), status: 'running' }, 0, null],
    ['a completed run says nothing', { ...state([entry('a', 'completed')]), status: 'completed' }, 0, null],
    ['a question waiting says nothing', { ...state([entry('ask', 'completed')]), status: 'waiting', wakeAt: wake }, 0, null],
    ['a failed run says why, and at which step', { ...state([entry('a', 'failed', 'boom')]), status: 'failed', error: 'boom' }, 0, 'Workflow “Sync” failed at step “a”: boom'],
    ['…not at a step when it failed outside one (its version could not be read)', { ...state([entry('a', 'completed')]), status: 'failed', error: 'no version' }, 0, 'Workflow “Sync” failed: no version'],
    // The run log (admins) keeps how to allow it; agents reading the thread can do nothing with it.
    ['a request the address policy refused is said plainly', { ...state([entry('crm', 'failed', BLOCKED)]), status: 'failed', error: BLOCKED }, 0,
      'Workflow “Sync” failed at step “crm”: the request was refused'],
    ['a step put off says when it is tried again, and why', { ...state([entry('call', 'retrying', 'HTTP 429')]), status: 'waiting', wakeAt: wake }, 0,
      `Workflow “Sync” is waiting to try step “call” again at ${wake} (HTTP 429)`],
    ['the step through on a later try says so', { ...state([entry('call', 'retrying'), entry('call', 'retrying'), entry('call', 'completed')]), status: 'running' }, 2,
      'Workflow “Sync”: step “call” went through on try 3'],
    ['…only in the checkpoint that saw it (later steps say nothing)', { ...state([entry('call', 'retrying'), entry('call', 'completed'), entry('b', 'completed')]), status: 'completed' }, 2, null],
    ['…and in a round\'s checkpoint covering several steps', { ...state([entry('call', 'retrying'), entry('call', 'completed'), entry('b', 'completed')]), status: 'completed' }, 1,
      'Workflow “Sync”: step “call” went through on try 2'],
    ['without `since` a recovery is not looked for', { ...state([entry('call', 'retrying'), entry('call', 'completed')]), status: 'completed' }, undefined, null],
  ])('%s', (_name, next, since, expected) => {
    expect(runLineText('Sync', next, since)).toBe(expected);
    // The round's test, which builds no text, says the same.
    expect(runLineDue(next, since)).toBe(expected !== null);
  });

  it('names a deleted workflow as such', () => {
    expect(runLineText(null, { ...state([]), status: 'failed', error: 'boom' }, 0)).toBe('A workflow since deleted failed: boom');
  });
});
