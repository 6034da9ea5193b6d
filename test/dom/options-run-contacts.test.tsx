import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run, RunContact } from '../../lib/contracts/runs';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The run history names each run's contact from the runs page itself: the review's 6 pages of a
// busy workflow made 297 GET /contacts/:id, one per row, each through the background worker and
// the token's rate limit. A server older than the extension (no `contact` on its runs) is still
// asked per contact, as before.

const at = '2025-01-01T00:00:00.000Z';
const workflow = {
  id: 'wf_1', name: 'Refunds', status: 'published', version: 1, createdAt: at, updatedAt: at, publishedAt: at,
  trigger: { type: 'manual' }, oncePerContact: false, steps: [],
};
const run = (id: string, contactId: string, contact?: RunContact | null): Run => ({
  id, workflowId: 'wf_1', workflowVersion: 1, contactId, conversationId: null, triggerEvent: { id: `ev_${id}`, type: 'webhook.received' },
  variables: {}, status: 'completed', cursor: 0, stepLog: [], wakeAt: null, attempts: 0, error: null, createdAt: at, endedAt: at,
  ...(contact === undefined ? {} : { contact }),
});
const contactCell = (id: string) => within(document.querySelector<HTMLElement>(`tr[data-run-id="${id}"] td:nth-child(3)`)!);
const shownIds = () => [...document.querySelectorAll('tr[data-run-id]')].map((r) => r.getAttribute('data-run-id'));

describe('run history: contacts named by the runs page', () => {
  it('shows each name (and phone) from the page, pages older runs the same way, and asks for no contact', async () => {
    const page1 = [
      run('run_4', 'ct_ada', { id: 'ct_ada', name: 'Ada Lovelace', phone: '+14155550100', email: 'ada@example.test' }),
      run('run_3', 'ct_phone', { id: 'ct_phone', name: null, phone: '+14155550111', email: null }),
      run('run_2', 'ct_mail', { id: 'ct_mail', name: null, phone: null, email: 'mail@example.test' }),
    ];
    const page2 = [run('run_1', 'ct_gone', null)];
    const calls = serveApi({
      'GET /workflows/wf_1': ok(workflow),
      'GET /runs?limit=50&workflowId=wf_1': ok({ runs: page1, nextCursor: 'run_2' }),
      'GET /runs?limit=50&workflowId=wf_1&cursor=run_2': ok({ runs: page2, nextCursor: null }),
      'GET /runs?limit=50&workflowId=wf_1&contactId=ct_ada': ok({ runs: [page1[0]], nextCursor: null }),
    });
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    await waitFor(() => expect(shownIds()).toEqual(['run_4', 'run_3', 'run_2']));
    expect(contactCell('run_4').getByRole('button').textContent).toBe('Ada Lovelace +14155550100');
    expect(contactCell('run_3').getByRole('button').textContent).toBe('+14155550111');
    expect(contactCell('run_2').getByRole('button').textContent).toBe('mail@example.test');

    await user.click(screen.getByRole('button', { name: 'Load older runs' }));
    await waitFor(() => expect(shownIds()).toEqual(['run_4', 'run_3', 'run_2', 'run_1']));
    // Gone meanwhile (erasing a contact takes their runs, so only a race shows this): the id.
    expect(contactCell('run_1').getByRole('button').textContent).toBe('ct_gone');

    await user.click(contactCell('run_4').getByRole('button'));
    await waitFor(() => expect(shownIds()).toEqual(['run_4']));
    expect(screen.getByTestId('contact-filter').textContent).toContain('Contact: Ada Lovelace');
    expect(calls.filter((c) => c.path.startsWith('/contacts'))).toEqual([]);
  });

  it('asks a server that names no contacts for each one, once', async () => {
    const calls = serveApi({
      'GET /workflows/wf_1': ok(workflow),
      'GET /runs?limit=50&workflowId=wf_1': ok({ runs: [run('run_2', 'ct_ada'), run('run_1', 'ct_ada')], nextCursor: null }),
      'GET /contacts/ct_ada': ok({ id: 'ct_ada', firstName: 'Ada', lastName: 'Lovelace', phone: '+14155550100', email: null, tags: [], fields: {}, createdAt: at }),
    });
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    await waitFor(() => expect(contactCell('run_2').getByRole('button').textContent).toBe('Ada Lovelace +14155550100'));
    expect(contactCell('run_1').getByRole('button').textContent).toBe('Ada Lovelace +14155550100');
    expect(calls.filter((c) => c.path.startsWith('/contacts')).map((c) => c.path)).toEqual(['/contacts/ct_ada']);
  });
});
