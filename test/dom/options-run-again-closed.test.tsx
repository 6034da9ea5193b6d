import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run } from '../../lib/contracts/runs';
import { ok, renderWithProviders, serveApi } from './options-harness';

// Run all failed again leaves out a shortcut's failed runs whose conversation is closed now (a
// shortcut runs in an open conversation): the answer counts them, and the page says why they
// were not started, rather than a count that silently falls short of the failures listed.

const at = '2025-01-01T09:00:00.000Z';
const failed = (id: string): Run => ({
  id, workflowId: 'wf_sync', workflowVersion: 1, contactId: 'ct_1', conversationId: 'cnv_1', triggerEvent: { id: 'ev_1', type: 'shortcut.launched' },
  variables: { trigger: {} }, status: 'failed', cursor: 1, stepLog: [], wakeAt: null, attempts: 0, error: 'Step crm answered HTTP 404', createdAt: at, endedAt: at,
});

afterEach(() => vi.restoreAllMocks());

describe('run history: Run all failed again, some in a closed conversation', () => {
  it.each([
    [1, ' Started 1 run again. One failed run was left out: a shortcut runs in an open conversation, and its conversation is closed now. Show them'],
    [3, ' Started 1 run again. 3 failed runs were left out: a shortcut runs in an open conversation, and their conversations are closed now. Show them'],
  ])('says %i left out and why', async (closedConversation, said) => {
    serveApi({
      'GET /workflows/wf_sync': ok({ id: 'wf_sync', name: 'Sync to CRM', status: 'published', version: 1, createdAt: at, updatedAt: at, publishedAt: at, trigger: { type: 'shortcut', name: 'Sync to CRM' }, oncePerContact: false, steps: [] }),
      'GET /runs/workflows': ok({ workflows: [{ id: 'wf_sync', name: 'Sync to CRM', deleted: false }] }),
      'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ana', lastName: '', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
      'GET /runs?limit=50&workflowId=wf_sync': ok({ runs: [failed('run_f'), failed('run_g')], nextCursor: null }),
      'POST /workflows/wf_sync/runs/rerun': ok({ started: 1, reruns: [{ runId: 'run_n1', rerunOf: 'run_f' }], remaining: 0, closedConversation }),
    });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_sync" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Run all failed again' }));
    expect((await screen.findByText(/^Started 1 run again/)).textContent).toBe(said);
  });
});
