import { describe, expect, it } from 'vitest';
import type { RunsTable } from '../../store/schema';
import { againFrom, rerunRow, resumeRefusal } from './rerun-from';

const shipped = { id: 'shipped', type: 'send_message', config: { text: 'Your order shipped' } };
const crm = (url: string) => ({ id: 'crm', type: 'http_request', config: { method: 'POST', url } });
const ran = { steps: [shipped, crm('https://crm.example/v1')], savedAt: '2025-01-01T09:00:00.000Z' };
const definition = (steps: unknown[]) => JSON.stringify({ name: 'Ship notice', steps });
const published = { name: 'Ship notice', status: 'published', version: 3, definition: definition([shipped, crm('https://crm.example/v2')]) };

describe('resumeRefusal: whether a failed run may run again from its failed step (step 2 here)', () => {
  it.each<[string, number, typeof published | null, string | null]>([
    ['the version it ran is published', 3, published, null],
    // The admin fixed the failed step and saved: n8n's "Retry with currently saved workflow".
    ['only the failed step was edited since', 2, published, null],
    ['a step before it was edited since', 2, { ...published, definition: definition([{ ...shipped, config: { text: 'Shipped!' } }, crm('https://crm.example/v2')]) },
      'workflow “Ship notice” was changed before its failed step since it ran (it ran version 2; version 3 is published now): step 1 (“shipped”) was edited. Run it again from the start, or from the failed step with the original workflow (version 2)'],
    ['the workflow is a draft now', 3, { ...published, status: 'draft' }, 'workflow “Ship notice” is not published'],
    ['the workflow was deleted', 3, null, 'the workflow was deleted'],
  ])('%s', (_name, version, workflow, expected) => {
    expect(resumeRefusal({ workflow_version: version, cursor: 1 }, workflow, ran)).toBe(expected);
  });

  it('refuses when the version it ran is not found', () => {
    expect(resumeRefusal({ workflow_version: 2, cursor: 1 }, published, undefined)).toBe(
      'workflow “Ship notice” was changed before its failed step since it ran (it ran version 2; version 3 is published now): its earlier version is not kept. Run it again from the start');
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

  it.each([[null, undefined, undefined, 'again'], [0, undefined, undefined, 'again from step 1'], [2, undefined, undefined, 'again from step 3'],
    [1, '2025-01-02T10:00:00.000Z', undefined, 'again from step 2, with the workflow as saved at 2025-01-02T10:00:00.000Z'],
    [1, undefined, 2, 'again from step 2, with the workflow as it was when that run started (version 2)']] as const)('the thread says %s, %s, %s → "%s"', (cursor, savedAt, original, text) => {
    expect(againFrom(cursor, savedAt, original)).toBe(text);
  });
});
