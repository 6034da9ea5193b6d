import { describe, expect, it } from 'vitest';
import type { RunsTable } from '../../store/schema';
import { againFrom, rerunRow, resumeRefusal } from './rerun-from';

const published = { name: 'Ship notice', status: 'published', version: 3 };

describe('resumeRefusal: whether a failed run may run again from its failed step', () => {
  it.each<[string, number, typeof published | null, string | null]>([
    ['the version it ran is published', 3, published, null],
    ['the workflow was edited since', 2, published, 'workflow “Ship notice” was changed since it ran (it ran version 2; version 3 is published now). Run it again from the start'],
    ['the workflow is a draft now', 3, { ...published, status: 'draft' }, 'workflow “Ship notice” is not published'],
    ['the workflow was deleted', 3, null, 'the workflow was deleted'],
  ])('%s', (_name, ran, workflow, expected) => {
    expect(resumeRefusal({ workflow_version: ran }, workflow)).toBe(expected);
  });
});

describe('rerunRow: the new run of a failed run', () => {
  const failed: RunsTable = {
    id: 'run_failed', workflow_id: 'wf_ship', workflow_version: 3, contact_id: 'con_1', conversation_id: 'cnv_1',
    event_id: 'evt_1', event_type: 'shortcut.launched', variables: JSON.stringify({ trigger: { order: 'A-17', launchedBy: 'usr_ava' }, step: { said: 'wamid.1' } }),
    status: 'failed', cursor: 2, step_log: '[{"stepId":"crm","status":"failed"}]', wake_at: null, attempts: 1, jumps: 4, depth: 1,
    lease_owner: 'w1', lease_until: null, error: 'HTTP 404', created_at: 't0', updated_at: 't1', ended_at: 't1', blocked: 0, launched_by: 'usr_ava',
  };
  const workflow = { id: 'wf_ship', version: 3 };

  it.each([
    ['start', { cursor: 0, jumps: 0, rerun_from: null, variables: JSON.stringify({ trigger: { order: 'A-17', launchedBy: 'usr_ava' } }) }],
    // Its loop count goes on: a loop stopped at its limit does not go round again from 0.
    ['failed_step', { cursor: 2, jumps: 4, rerun_from: 2, variables: failed.variables }],
  ] as const)('from %s', (from, expected) => {
    expect(rerunRow(failed, workflow, from, 'run_new', 'usr_sam', 't2')).toEqual({
      id: 'run_new', workflow_id: 'wf_ship', workflow_version: 3, contact_id: 'con_1', conversation_id: 'cnv_1',
      event_id: 'evt_1', event_type: 'shortcut.launched', status: 'queued', step_log: '[]', wake_at: null, attempts: 0, depth: 1,
      lease_owner: null, lease_until: null, error: null, created_at: 't2', updated_at: 't2', ended_at: null, blocked: 0,
      launched_by: 'usr_ava', rerun_of: 'run_failed', rerun_by: 'usr_sam', ...expected,
    });
  });

  it.each([[null, 'again'], [0, 'again from step 1'], [2, 'again from step 3']] as const)('the thread says %s → "%s"', (cursor, text) => {
    expect(againFrom(cursor)).toBe(text);
  });
});
