import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const definition = {
  name: 'Order shipped',
  trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }] },
  oncePerContact: false,
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} shipped' } }],
};
const stored = {
  id: 'wf_1', ...definition,
  trigger: { ...definition.trigger, url: 'http://127.0.0.1:8799/hooks/secret-path', signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at, triggerType: 'incoming_webhook', lastRunAt: null,
};

const file = (name: string, text: string) => new File([text], name, { type: 'application/json' });

afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

describe('workflow export and import', () => {
  it('exports the portable definition: no id, status, version, webhook URL or signing secret', async () => {
    const user = userEvent.setup();
    serveApi({ 'GET /workflows': ok({ workflows: [stored] }) });
    let blob: Blob | undefined;
    URL.createObjectURL = (b: Blob) => { blob = b; return 'blob:workflow'; };
    URL.revokeObjectURL = () => undefined;
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderWithProviders(<WorkflowsPage />);
    const row = (await screen.findByRole('link', { name: 'Order shipped' })).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Export' }));

    expect(clicked).toHaveBeenCalledTimes(1);
    expect((clicked.mock.contexts[0] as HTMLAnchorElement).download).toBe('order-shipped.workflow.json');
    const exported = JSON.parse(await blob!.text()) as Record<string, unknown>;
    expect(exported).toEqual(definition);
    expect(JSON.stringify(exported)).not.toContain('whsec_');
  });

  it('lists every contract error of an invalid file and creates nothing', async () => {
    const user = userEvent.setup();
    const calls = serveApi({ 'GET /workflows': ok({ workflows: [] }) });
    renderWithProviders(<WorkflowsPage />);
    const bad = { ...definition, name: '', steps: [{ id: 'wait', type: 'wait', config: { seconds: 0 } }, { id: 'go', type: 'http_request', config: { method: 'POST', url: 'ftp://x' } }] };
    await user.upload(screen.getByLabelText(/Import JSON/), file('bad.workflow.json', JSON.stringify(bad)));

    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('This file is not a valid workflow:');
    const items = within(summary).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(expect.arrayContaining([
      expect.stringContaining('Give the workflow a name'),
      expect.stringMatching(/Step 1.*Wait at least 1 second/),
      expect.stringMatching(/Step 2.*The URL must start with http:\/\/ or https:\/\//),
    ]));
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);

    await user.upload(screen.getByLabelText(/Import JSON/), file('notes.json', '{ "name": '));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Not JSON/);
  });

  it('creates a valid file as a draft and opens it in the editor', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      'GET /workflows': ok({ workflows: [] }),
      'POST /workflows': (c: ApiCall) => ok({ ...stored, ...(c.body as object), id: 'wf_9', status: 'draft', version: 1, publishedAt: null }),
    });
    renderWithProviders(<WorkflowsPage />);
    await user.upload(screen.getByLabelText(/Import JSON/), file('order-shipped.workflow.json', JSON.stringify(definition)));
    await waitFor(() => expect(window.location.hash).toBe('#/workflows/wf_9'));
    const post = calls.find((c) => c.method === 'POST');
    expect(post).toMatchObject({ path: '/workflows', body: { ...definition, status: 'draft' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
