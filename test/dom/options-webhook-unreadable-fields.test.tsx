import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditorPage } from '../../components/options/WorkflowEditorPage';
import { emptyEditorApi, ok, renderWithProviders, serveApi, type ApiCall, type Routes } from './options-harness';

// The trigger's own fields for a workflow whose URL or signing secret this server cannot read
// (`unreadableSecrets`): the URL field said "Save the workflow to get its URL" and "Require signed
// requests" showed unticked, while the server kept refusing unsigned (and signed) deliveries.

const at = '2025-01-01T00:00:00.000Z';
const url = 'http://127.0.0.1:8799/hooks/paid';
const newUrl = 'http://127.0.0.1:8799/hooks/fresh-token';
const trigger = { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [] };
const stored = (extra: object, unreadableSecrets?: string[]) => ({
  id: 'wf_1', name: 'Order shipped', oncePerContact: false, trigger: { ...trigger, ...extra },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Shipped' } }],
  status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at,
  ...(unreadableSecrets ? { unreadableSecrets } : {}),
});
const routes = (workflow: object): Routes => ({
  ...emptyEditorApi,
  'GET /workflows/wf_1': ok(workflow),
  'GET /workflows/wf_1/webhook/deliveries': ok({ deliveries: [], nextCursor: null }),
  'PUT /workflows/wf_1': (c: ApiCall) => ok({ ...workflow, ...(c.body as object), version: 4 }),
});
const signed = () => screen.getByLabelText('Require signed requests (Standard Webhooks)') as HTMLInputElement;
const put = async (calls: ApiCall[]) => {
  await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
  return (calls.find((c) => c.method === 'PUT')!.body as { trigger: Record<string, unknown> }).trigger;
};

afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
});

describe('the webhook trigger fields of a workflow whose secrets cannot be read', () => {
  it('the URL field says the URL could not be read and points to Regenerate URL', async () => {
    serveApi(routes(stored({}, ['url'])));
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    expect(await screen.findByText(/^The URL could not be read with this server's secret key; deliveries to it still arrive\. Regenerate URL \(above\)/)).toBeTruthy();
    expect(screen.queryByText('Save the workflow to get its URL.')).toBeNull();
    expect(screen.getByRole('button', { name: 'Regenerate URL' })).toBeTruthy();
    // Its secret was read and there is none: unsigned requests are taken, as the box says.
    expect(signed().checked).toBe(false);
  });

  it('"Require signed requests" shows ticked with why, and a save keeps the stored secret', async () => {
    const user = userEvent.setup();
    const calls = serveApi(routes(stored({ url }, ['signingSecret'])));
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    await screen.findByLabelText('Webhook URL');
    await waitFor(() => expect(signed().checked).toBe(true));
    expect(signed().getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(signed().getAttribute('aria-describedby')!)!.textContent)
      .toBe('Required, but the signing secret could not be read with this server\'s secret key: deliveries are refused (503) until it is set again (Set a new signing secret, above). Untick to accept unsigned requests instead.');
    expect(screen.queryByLabelText('Signing secret')).toBeNull();
    await user.type(screen.getByLabelText('Workflow name'), ' (EU)');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await put(calls)).not.toHaveProperty('signingSecret');
  });

  it('unticking it stops requiring signed requests once saved (null), as the notice then says', async () => {
    const user = userEvent.setup();
    const calls = serveApi(routes(stored({ url }, ['signingSecret'])));
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    await waitFor(() => expect(signed().checked).toBe(true));
    await user.click(signed());
    expect(signed().checked).toBe(false);
    expect(screen.queryByText(/^Required, but the signing secret could not be read/)).toBeNull();
    expect(screen.getByText('Save the workflow to stop requiring signed requests.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await put(calls)).signingSecret).toBeNull();
  });

  it('ticking it again gives a new secret to set', async () => {
    const user = userEvent.setup();
    serveApi(routes(stored({ url }, ['signingSecret'])));
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    await waitFor(() => expect(signed().checked).toBe(true));
    await user.click(signed());
    await user.click(signed());
    expect((screen.getByLabelText('Signing secret') as HTMLInputElement).value).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(screen.getByText('Save the workflow to keep the new signing secret.')).toBeTruthy();
  });

  it('Regenerate beside a readable URL reads the workflow again, as Regenerate URL does', async () => {
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const calls = serveApi({ ...routes(stored({ url })), 'POST /workflows/wf_1/webhook/regenerate': ok({ url: newUrl }) });
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    expect((await screen.findByLabelText('Webhook URL')).textContent).toBe(url);
    const reads = () => calls.filter((c) => c.method === 'GET' && c.path === '/workflows/wf_1').length;
    const before = reads();
    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    await waitFor(() => expect(screen.getByLabelText('Webhook URL').textContent).toBe(newUrl));
    await waitFor(() => expect(reads()).toBe(before + 1));
  });
});
