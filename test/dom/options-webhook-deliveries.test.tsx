import { afterEach, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { WorkflowEditorPage } from '../../components/options/WorkflowEditorPage';
import { ok, renderWithProviders, serveApi } from './options-harness';

// A webhook workflow's recent deliveries under its trigger: a guest order (202, no run) shows why
// no run started, so answering 202 loses nothing from sight.
const at = '2025-01-01T00:00:00.000Z';
const stored = {
  id: 'wf_1', name: 'Order confirmation', oncePerContact: false,
  trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.customer.phone' }, mappings: [], url: 'http://127.0.0.1:8799/hooks/secret-path' },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Ordered' } }],
  status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at,
};

afterEach(() => sessionStorage.clear());

describe('a webhook workflow’s recent deliveries', () => {
  it('lists them, each unmatched or guest delivery with why no run started', async () => {
    serveApi({
      'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /users': ok({ users: [] }),
      'GET /settings/closing-categories': ok({ categories: [] }), 'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }), 'GET /workflows/wf_1': ok(stored),
      'GET /workflows/wf_1/webhook/deliveries?limit=20': ok({
        deliveries: [
          { eventId: 'evt_3', receivedAt: at, contactIds: [], unmatched: [], runIds: null, note: 'No contact identified: $.customer.phone matched nothing in the body; no run started' },
          { eventId: 'evt_2', receivedAt: at, contactIds: [], unmatched: ['+14155550199'], runIds: null, note: 'No contact with phone +14155550199; no run started' },
          { eventId: 'evt_1', receivedAt: at, contactIds: ['con_1'], unmatched: [], runIds: ['run_1'], note: null },
        ],
        nextCursor: null,
      }),
    });
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    const list = await screen.findByRole('list', { name: 'Recent deliveries' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent?.replace(/^.*?(?=No contact|1 contact)/, ''))).toEqual([
      'No contactNo contact identified: $.customer.phone matched nothing in the body; no run started',
      'No contact · unmatched: +14155550199No contact with phone +14155550199; no run started',
      '1 contact(s)',
    ]);
  });
});
