import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { ok, renderWithProviders, serveApi, type Routes } from './options-harness';

// The editor warns, on the field, of what publishing would refuse: template variables the
// run could not fill (checked against the workspace's custom fields once they are loaded) and a
// mini-app action's required input left empty (against the installed app's action).

const at = '2025-01-01T00:00:00.000Z';
const refundApp = {
  id: 'app_1', key: 'refunds', createdAt: at, installation: { id: 'ins_1', appId: 'app_1', createdAt: at },
  manifest: {
    key: 'refunds', name: 'Refunds',
    actions: [{
      key: 'refund', name: 'Refund',
      inputs: [{ key: 'order_id', label: 'Order', required: true }],
      request: { method: 'POST', url: 'https://refunds.example/refund', body: { order: '{{input.order_id}}' } },
    }],
  },
};
const draft: WorkflowDraft = { name: 'Greeting', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
const saved = ok({ id: 'wf_1', ...draft, status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null });
const routes: Routes = {
  'GET /fields': ok({ fields: [{ key: 'order_id', label: 'Order ID', type: 'text', options: [] }] }),
  'GET /apps': ok({ apps: [refundApp] }),
  'GET /users': ok({ users: [] }),
  'GET /settings/closing-categories': ok({ categories: [] }),
  'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
  'POST /workflows': saved,
};

async function addStep(user: ReturnType<typeof userEvent.setup>, label: string) {
  await user.selectOptions(screen.getByLabelText('New step'), label);
  await user.click(screen.getByRole('button', { name: 'Add step' }));
}

describe('template variables in the workflow editor', () => {
  it.each([
    ['{{$contact.firstname}}', 'Unknown variable {{$contact.firstname}}: did you mean {{$contact.firstName}}?'],
    ['{{$contact.fields.orderid}}', 'Unknown variable {{$contact.fields.orderid}}: did you mean {{$contact.fields.order_id}}?'],
    ['{{ contact.firstName }}', '{{ contact.firstName }} is sent as written: did you mean {{$contact.firstName}}?'],
  ])('warns on the message field of %s with what it likely meant', async (text, message) => {
    const user = userEvent.setup();
    serveApi(routes);
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addStep(user, 'Send a message');
    await user.click(screen.getByLabelText('Message'));
    await user.paste(`Hi ${text}`);
    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByLabelText('Message').getAttribute('aria-invalid')).toBe('true');
  });

  it('takes a defined custom field as it is', async () => {
    const user = userEvent.setup();
    serveApi(routes);
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addStep(user, 'Send a message');
    await user.click(screen.getByLabelText('Message'));
    await user.paste('Order {{$contact.fields.order_id}} for {{$contact.firstName}}');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.queryByText('To fix before publishing:')).toBeNull();
    expect(screen.getByLabelText('Message').getAttribute('aria-invalid')).toBeNull();
  });

  it('warns of a mini-app action\'s required input left empty', async () => {
    const user = userEvent.setup();
    serveApi(routes);
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addStep(user, 'Mini-app action');
    await user.selectOptions(await screen.findByLabelText('App'), 'app_1');
    await user.selectOptions(screen.getByLabelText('Action'), 'refund');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText('"Order" is a required input of the action "refund": give it a value')).length).toBeGreaterThan(0);
    expect(screen.getByText('To fix before publishing:')).toBeTruthy();
  });
});
