import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditorPage } from '../../components/options/WorkflowEditorPage';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import { ok, renderWithProviders, serveApi, type ApiCall, type Routes } from './options-harness';

// A workflow whose webhook URL and signing secret were sealed under another secret key than the
// server's: the API leaves both out and says `unreadableSecrets`. The page showed it as a
// workflow never saved ("Save the workflow to get its URL", no Regenerate) that takes unsigned
// requests, while the server refused every delivery to it (503).

const at = '2025-01-01T00:00:00.000Z';
const newUrl = 'http://127.0.0.1:8799/hooks/fresh-token';
const trigger = { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [] };
const stored = (unreadableSecrets?: string[]) => ({
  id: 'wf_1', name: 'Order shipped', oncePerContact: false, trigger,
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Shipped' } }],
  status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at,
  ...(unreadableSecrets ? { unreadableSecrets } : {}),
});
const fine = { ...stored(), id: 'wf_2', name: 'Order paid', trigger: { ...trigger, url: 'http://127.0.0.1:8799/hooks/paid' } };
const listed = (w: object) => ({ ...w, triggerType: 'incoming_webhook', lastRunAt: null });
const editorRoutes: Routes = {
  'GET /fields': ok({ fields: [] }),
  'GET /apps': ok({ apps: [] }),
  'GET /users': ok({ users: [] }),
  'GET /settings/closing-categories': ok({ categories: [] }),
  'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }), 'GET /workflows?limit=50': ok({ workflows: [], nextCursor: null }),
  'GET /workflows/wf_1/webhook/deliveries': ok({ deliveries: [], nextCursor: null }),
  'POST /workflows/wf_1/webhook/regenerate': ok({ url: newUrl }),
};

afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
});

describe('a workflow whose secrets this server cannot read', () => {
  it.each([
    [['url', 'signingSecret'], 'This workflow\'s webhook URL and signing secret could not be read with this server\'s secret key: regenerate the URL and set the secret again.'],
    [['url'], 'This workflow\'s webhook URL could not be read with this server\'s secret key: regenerate the URL.'],
    [['signingSecret'], 'This workflow\'s signing secret could not be read with this server\'s secret key: set the secret again.'],
  ])('the list says so under its name (%j), with a way to the editor', async (unreadable, said) => {
    serveApi({ 'GET /workflows?limit=200': ok({ workflows: [listed(stored(unreadable)), listed(fine)], nextCursor: null }), 'GET /workflows?limit=50': ok({ workflows: [listed(stored(unreadable)), listed(fine)], nextCursor: null }) });
    renderWithProviders(<WorkflowsPage />);
    const row = (await screen.findByRole('link', { name: 'Order shipped' })).closest('tr')!;
    expect(within(row).getByText(said)).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Fix “Order shipped” in the editor' }).getAttribute('href')).toBe('#/workflows/wf_1');
    const other = screen.getByRole('link', { name: 'Order paid' }).closest('tr')!;
    expect(other.textContent).not.toContain('could not be read');
  });

  it('the editor says what cannot be read and fixes both: a new URL at once, a new secret kept on save', async () => {
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    let current: object = stored(['url', 'signingSecret']);
    const calls = serveApi({
      ...editorRoutes,
      'GET /workflows/wf_1': () => ok(current),
      'POST /workflows/wf_1/webhook/regenerate': () => {
        current = { ...stored(['signingSecret']), trigger: { ...trigger, url: newUrl } };
        return ok({ url: newUrl });
      },
      'PUT /workflows/wf_1': (c: ApiCall) => {
        current = { ...stored(), ...(c.body as object), trigger: { ...(c.body as { trigger: object }).trigger, url: newUrl }, version: 4 };
        return ok(current);
      },
    });
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);

    const notice = await screen.findByRole('region', {
      name: 'This workflow\'s webhook URL and signing secret could not be read with this server\'s secret key: regenerate the URL and set the secret again.',
    });
    expect(notice.textContent).toContain('Until the secret is set again its deliveries are refused (503)');
    expect(document.body.textContent).not.toMatch(/undefined|null/);

    await user.click(within(notice).getByRole('button', { name: 'Regenerate URL' }));
    await waitFor(() => expect(screen.getByLabelText('Webhook URL').textContent).toBe(newUrl));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ method: 'POST', path: '/workflows/wf_1/webhook/regenerate' }]);
    const left = screen.getByRole('region', { name: 'This workflow\'s signing secret could not be read with this server\'s secret key: set the secret again.' });
    expect(within(left).queryByRole('button', { name: 'Regenerate URL' })).toBeNull();

    await user.click(within(left).getByRole('button', { name: 'Set a new signing secret' }));
    const secret = (screen.getByLabelText('Signing secret') as HTMLInputElement).value;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect((screen.getByLabelText('Require signed requests (Standard Webhooks)') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Save the workflow to keep the new signing secret.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).toMatchObject({ trigger: { type: 'incoming_webhook', signingSecret: secret } });
    await waitFor(() => expect(screen.queryByText(/could not be read|Save the workflow to keep/)).toBeNull());
  });
});
