import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import { WorkflowFile } from '../../lib/contracts/workflow-file';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The export's file holds no credential (GET /workflows/export turns each into a
// `{{credential: …}}` placeholder and lists them in `credentialsLeftOut`). The page used to
// download it without a word, so the admin learnt it only when the import refused to publish.

const at = '2025-01-01T00:00:00.000Z';
const notify = {
  name: 'Notify the team',
  trigger: { type: 'conversation_opened' },
  oncePerContact: false,
  steps: [
    { id: 'note', type: 'add_comment', config: { text: 'Opened' } },
    {
      id: 'slack', type: 'http_request',
      config: { method: 'POST', url: 'https://hooks.slack.com/services/{{credential: Slack webhook path}}', headers: [], body: '{"text":"Opened"}' },
    },
    {
      id: 'crm', type: 'http_request',
      config: { method: 'POST', url: 'https://crm.example.com/api?api_key={{credential: api_key}}', headers: [{ key: 'Authorization', value: 'Bearer {{credential: Authorization}}' }] },
    },
  ],
};
const assign = { name: 'Assign to Ana', trigger: { type: 'conversation_opened' }, oncePerContact: false, steps: [{ id: 'assign', type: 'assign_to', config: { userId: 'usr_a' } }] };
const summary = (id: string, def: object) => ({
  id, ...def, status: 'published', version: 1, createdAt: at, updatedAt: at, publishedAt: at, triggerType: 'conversation_opened', lastRunAt: null,
});
const file = (workflows: { id: string; definition: object }[], credentialsLeftOut?: object[]) => WorkflowFile.parse({
  format: 'inbox-companion.workflows', version: 1, exportedAt: at, workflows,
  references: { users: {}, apps: {}, workflows: {}, fields: {} },
  ...(credentialsLeftOut ? { credentialsLeftOut } : {}),
});
const all = file([{ id: 'wf_1', definition: notify }, { id: 'wf_2', definition: assign }], [
  { workflowId: 'wf_1', stepId: 'slack', path: 'steps.1.config.url', what: 'Slack webhook path' },
  { workflowId: 'wf_1', stepId: 'crm', path: 'steps.2.config.url', what: 'api_key' },
  { workflowId: 'wf_1', stepId: 'crm', path: 'steps.2.config.headers.0.value', what: 'Authorization' },
]);

afterEach(() => vi.restoreAllMocks());

describe('workflow export: the credentials the file left out', () => {
  it('names each workflow and step whose credentials must be typed again after the import; a file without any says nothing', async () => {
    const user = userEvent.setup();
    serveApi({
      'GET /workflows?limit=50': ok({ workflows: [summary('wf_1', notify), summary('wf_2', assign)], nextCursor: null }),
      'GET /workflows/export': ok(all),
      'GET /workflows/export?ids=wf_2': ok(file([{ id: 'wf_2', definition: assign }])),
    });
    URL.createObjectURL = () => 'blob:workflow';
    URL.revokeObjectURL = () => undefined;
    const downloads = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderWithProviders(<WorkflowsPage />);

    await user.click(await screen.findByRole('button', { name: 'Export all' }));
    const notice = await screen.findByRole('status', { name: 'The exported file leaves credentials out: type them again after importing it' });
    expect(downloads).toHaveBeenCalledTimes(1);
    expect(within(notice).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '“Notify the team”, step 2, HTTP request (slack): Slack webhook path (URL)',
      '“Notify the team”, step 3, HTTP request (crm): api_key (URL), Authorization (header)',
    ]);
    expect(notice.textContent).toContain('a workflow imported from it cannot be published until every placeholder of its steps is replaced');

    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status', { name: /leaves credentials out/ })).toBeNull();

    // Export all again, then only the workflow without credentials: the notice goes with the file it was about.
    await user.click(screen.getByRole('button', { name: 'Export all' }));
    await screen.findByRole('status', { name: /leaves credentials out/ });
    const row = screen.getByRole('link', { name: 'Assign to Ana' }).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: /^Export / }));
    await waitFor(() => expect(downloads).toHaveBeenCalledTimes(3));
    await waitFor(() => expect(screen.queryByRole('status', { name: /leaves credentials out/ })).toBeNull());
  });
});
