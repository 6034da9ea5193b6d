import { afterEach, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditorPage } from '../../components/options/WorkflowEditorPage';
import { emptyEditorApi, ok, renderWithProviders, serveApi } from './options-harness';

// Shopify's order id 820982911946154508 is past 2^53: the browser's JSON.parse makes it
// 820982911946154500 (another order). The tester parses the sample as /hooks parses a delivery,
// so what it sends, and shows, keeps the digits.

const at = '2025-01-01T00:00:00.000Z';
const stored = {
  id: 'wf_1', name: 'Orders', oncePerContact: false,
  trigger: {
    type: 'incoming_webhook', identifier: { type: 'email', jsonKey: '$.email' },
    mappings: [{ jsonKey: '$.id', variable: 'orderId' }], url: 'http://127.0.0.1:8799/hooks/secret-path',
  },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}}' } }],
  status: 'published', version: 1, createdAt: at, updatedAt: at, publishedAt: at,
};

afterEach(() => sessionStorage.clear());

it('sends a sample id past 2^53 with its digits kept', async () => {
  const user = userEvent.setup();
  const calls = serveApi({
    ...emptyEditorApi,
    'GET /workflows/wf_1': ok(stored),
    'POST /workflows/wf_1/webhook/test': ok({
      identifier: { type: 'email', jsonKey: '$.email', values: ['ana@example.com'] },
      contactIds: ['ct_ana'], unmatched: [], variables: { orderId: '820982911946154508' }, errors: [],
    }),
  });
  renderWithProviders(<WorkflowEditorPage id="wf_1" />);
  const sample = await screen.findByLabelText('Sample JSON body');
  await user.clear(sample);
  await user.click(sample);
  await user.paste('{"id": 820982911946154508, "email": "ana@example.com", "total": 12.5, "small": 42}');
  await user.click(screen.getByRole('button', { name: 'Test mappings' }));
  await screen.findByRole('table', { name: 'Extracted values' });
  const call = calls.find((c) => c.method === 'POST');
  expect(call?.body).toMatchObject({ body: { id: '820982911946154508', email: 'ana@example.com', total: 12.5, small: 42 } });
});
