import { describe, expect, it } from 'vitest';
import { Run } from './runs';
import { LaunchBody, ShortcutList } from './shortcuts';

const run = {
  id: 'run_1',
  workflowId: 'wf_1',
  workflowVersion: 2,
  contactId: 'c_1',
  conversationId: null,
  triggerEvent: { id: 'ev_1', type: 'shortcut.launched' },
  variables: { trigger: { orderId: '42' } },
  status: 'completed',
  cursor: 1,
  stepLog: [
    { stepId: 'greet', type: 'send_message', status: 'completed', notes: ['Unknown variable $contact.nickname'], startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T00:00:01Z' },
  ],
  wakeAt: null,
  attempts: 1,
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  endedAt: '2026-01-01T00:00:01Z',
};

describe('Run', () => {
  it.each<[string, object, boolean]>([
    ['a completed run', {}, true],
    ['a waiting run', { status: 'waiting', wakeAt: '2026-01-02T00:00:00Z', endedAt: null }, true],
    ['an unknown status', { status: 'paused' }, false],
    ['a negative cursor', { cursor: -1 }, false],
    ['a log entry of an unknown step type', { stepLog: [{ ...run.stepLog[0], type: 'sleep' }] }, false],
  ])('%s valid: %s', (_, overrides, valid) => {
    expect(Run.safeParse({ ...run, ...overrides }).success).toBe(valid);
  });
});

describe('shortcuts', () => {
  it('defaults launch values to {}', () => {
    expect(LaunchBody.parse({ conversationId: 'cv_1' })).toEqual({ conversationId: 'cv_1', values: {} });
  });

  it.each([
    [{ allowed: true, version: '7', shortcuts: [] }, true],
    [{ allowed: false, reason: 'Shortcuts are turned off for you', version: '7', shortcuts: [] }, true],
    [{ allowed: true, shortcuts: [] }, false],
  ])('list %j valid: %s', (list, valid) => {
    expect(ShortcutList.safeParse(list).success).toBe(valid);
  });
});
