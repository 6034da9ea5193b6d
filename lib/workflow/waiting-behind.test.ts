import { describe, expect, it } from 'vitest';
import { waitingBehindText } from './waiting-behind';

describe('waitingBehindText', () => {
  const now = new Date('2025-01-01T09:00:00');
  const later = new Date('2025-01-01T14:05:00').toISOString();
  const time = new Date(later).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  it.each<[string, Parameters<typeof waitingBehindText>[0], string | null]>([
    ['a question', { status: 'queued', waitingBehind: { runId: 'run_1', status: 'waiting', waitingUntil: later, reason: 'for the contact\'s reply to step "ask"' } },
      `waiting behind run run_1 of the same contact (it waits for the contact's reply to step "ask" until ${time})`],
    ['a Wait step', { status: 'queued', waitingBehind: { runId: 'run_1', status: 'waiting', waitingUntil: later, reason: 'at step "pause"' } },
      `waiting behind run run_1 of the same contact (it waits at step "pause" until ${time})`],
    ['a running run', { status: 'queued', waitingBehind: { runId: 'run_1', status: 'running' } }, 'waiting behind run run_1 of the same contact (it is running now)'],
    ['a run not started yet', { status: 'queued', waitingBehind: { runId: 'run_1', status: 'queued' } }, 'waiting behind run run_1 of the same contact (it has not started yet)'],
    ['nothing before it', { status: 'queued' }, null],
    ['a run that is not queued', { status: 'running', waitingBehind: { runId: 'run_1', status: 'running' } }, null],
  ])('%s', (_name, run, expected) => {
    expect(waitingBehindText(run, now)).toBe(expected);
  });
});
