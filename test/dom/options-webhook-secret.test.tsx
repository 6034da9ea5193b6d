import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditorPage } from '../../components/options/WorkflowEditorPage';
import { emptyEditorApi, ok, renderWithProviders, serveApi, type ApiCall, type Routes } from './options-harness';

// The options page is shown the signing secret (admins get it back from GET /workflows/:id) and
// sends it back with every save, so an edit there keeps it; unticking "Require signed requests"
// is the explicit removal (`signingSecret: null`).

const at = '2025-01-01T00:00:00.000Z';
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const stored = {
  id: 'wf_1', name: 'Order shipped', oncePerContact: false,
  trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [], url: 'http://127.0.0.1:8799/hooks/secret-path', signingSecret: secret },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Shipped' } }],
  status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at,
};
const routes: Routes = {
  ...emptyEditorApi,
  'GET /workflows/wf_1': ok(stored),
  'PUT /workflows/wf_1': (c: ApiCall) => ok({ ...stored, ...(c.body as object), trigger: { ...(c.body as typeof stored).trigger, url: stored.trigger.url }, version: 4 }),
};

afterEach(() => sessionStorage.clear());

describe('the signing secret in the workflow editor', () => {
  it('is shown, and sent back unchanged when only the name is edited', async () => {
    const user = userEvent.setup();
    const calls = serveApi(routes);
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    const name = await screen.findByLabelText('Workflow name');
    expect((screen.getByLabelText('Require signed requests (Standard Webhooks)') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Signing secret') as HTMLInputElement).value).toBe(secret);
    await user.clear(name);
    await user.type(name, 'Order delivered');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toMatchObject({ name: 'Order delivered', trigger: { type: 'incoming_webhook', signingSecret: secret } });
  });

  it('unticking "Require signed requests" removes it explicitly (null)', async () => {
    const user = userEvent.setup();
    const calls = serveApi(routes);
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    await user.click(await screen.findByLabelText('Require signed requests (Standard Webhooks)'));
    expect(screen.queryByLabelText('Signing secret')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!;
    expect((put.body as typeof stored).trigger.signingSecret).toBeNull();
  });
});
