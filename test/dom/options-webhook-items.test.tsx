import { afterEach, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditorPage } from '../../components/options/WorkflowEditorPage';
import { emptyEditorApi, ok, renderWithProviders, serveApi, type Routes } from './options-harness';

// "Test the mappings" on a batch: when the identifier iterates ($[*].email) the server answers
// per item what its runs get, and the tester shows one row per item, as n8n shows items.

const at = '2025-01-01T00:00:00.000Z';
const stored = {
  id: 'wf_1', name: 'Welcome', oncePerContact: false,
  trigger: {
    type: 'incoming_webhook', identifier: { type: 'email', jsonKey: '$[*].email' },
    mappings: [{ jsonKey: '$[*].name', variable: 'name' }, { jsonKey: '$[0].name', variable: 'first' }],
    url: 'http://127.0.0.1:8799/hooks/secret-path',
  },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Hi {{$trigger.name}}' } }],
  status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at,
};
const tested = {
  identifier: { type: 'email', jsonKey: '$[*].email', values: ['ana@example.com', 'zed@example.com'] },
  contactIds: ['ct_ana'], unmatched: ['zed@example.com'],
  variables: { name: ['Ana', 'Zed'], first: 'Ana' }, errors: [],
  items: [
    { path: '$[0]', identifier: ['ana@example.com'], contactIds: ['ct_ana'], variables: { name: 'Ana', first: 'Ana' }, errors: [] },
    { path: '$[1]', identifier: ['zed@example.com'], contactIds: [], variables: { first: 'Ana' },
      errors: [{ variable: 'name', jsonKey: '$[*].name', message: '$[*].name matched nothing in $[1]' }] },
  ],
};
const routes: Routes = {
  ...emptyEditorApi,
  'GET /workflows/wf_1': ok(stored),
  'POST /workflows/wf_1/webhook/test': ok(tested),
};

afterEach(() => sessionStorage.clear());

describe('the mapping tester on a batch', () => {
  it('shows one row per item with the values its runs get', async () => {
    const user = userEvent.setup();
    const calls = serveApi(routes);
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    const sample = await screen.findByLabelText('Sample JSON body');
    await user.clear(sample);
    await user.click(sample);
    await user.paste('[{"email":"ana@example.com","name":"Ana"},{"email":"zed@example.com"}]');
    await user.click(screen.getByRole('button', { name: 'Test mappings' }));
    const table = await screen.findByRole('table', { name: 'Values per item' });
    const rows = within(table).getAllByRole('row').map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Item', 'Contact', '$trigger.name', '$trigger.first'],
      ['$[0]', 'ana@example.com', '"Ana"', '"Ana"'],
      ['$[1]', 'zed@example.com (no matching contact: no run)', '$[*].name matched nothing in $[1]', '"Ana"'],
    ]);
    const call = calls.find((c) => c.method === 'POST');
    expect(call?.body).toMatchObject({ body: [{ email: 'ana@example.com', name: 'Ana' }, { email: 'zed@example.com' }] });
  });

  it('shows no item table when the answer has no items', async () => {
    const user = userEvent.setup();
    const { items: _, ...plain } = tested;
    serveApi({ ...routes, 'POST /workflows/wf_1/webhook/test': ok(plain) });
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    await user.click(await screen.findByRole('button', { name: 'Test mappings' }));
    await screen.findByRole('table', { name: 'Extracted values' });
    expect(screen.queryByRole('table', { name: 'Values per item' })).toBeNull();
  });
});
