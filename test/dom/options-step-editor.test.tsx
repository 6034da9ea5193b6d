import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { ok, renderWithProviders, serveApi, type Routes } from './options-harness';
import { insertsVariable } from './variable-menu';

const commonRoutes: Routes = {
  'GET /fields': ok({ fields: [{ key: 'order_id', label: 'Order ID', type: 'text', options: [] }] }),
  'GET /apps': ok({ apps: [] }),
  'GET /users': ok({ users: [] }),
  'GET /settings/closing-categories': ok({ categories: [] }),
  'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
};

const draft = (over: Partial<WorkflowDraft> = {}): WorkflowDraft => ({
  name: 'Refunds',
  trigger: { type: 'shortcut', icon: '💸', name: 'Refund', description: '', form: { fields: [{ label: 'Amount', type: 'number', variable: 'amount', required: true }] } },
  oncePerContact: false,
  steps: [],
  ...over,
});

const renderEditor = (initial: WorkflowDraft, routes: Routes = {}) => {
  const calls = serveApi({ ...commonRoutes, ...routes });
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  return calls;
};

async function addStep(user: ReturnType<typeof userEvent.setup>, label: string) {
  await user.selectOptions(screen.getByLabelText('New step'), label);
  await user.click(screen.getByRole('button', { name: 'Add step' }));
}

describe('step editor', () => {
  it.each([
    ['HTTP request', 'URL', 'ftp://example.com', 'The URL must start with http:// or https://'],
    ['Send a message', 'Message', '   ', 'Write the text to send'],
    ['Wait', 'Wait for', '0', 'Wait at least 1 second'],
  ])('shows the contract message for a %s step', async (type, label, value, message) => {
    const user = userEvent.setup();
    renderEditor(draft());
    await addStep(user, type);
    const input = screen.getByLabelText(label);
    await user.clear(input);
    await user.type(input, value);
    expect(await screen.findByText(message)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('offers the trigger, contact and earlier steps\' variables and inserts one', async () => {
    const user = userEvent.setup();
    renderEditor(draft());
    await addStep(user, 'HTTP request');
    await user.click(screen.getByRole('button', { name: 'Add response variable' }));
    await user.clear(screen.getByLabelText('JSON key 1'));
    await user.type(screen.getByLabelText('JSON key 1'), '$.id');
    await user.type(screen.getByLabelText('Variable 1'), 'refund_id');
    await addStep(user, 'Send a message');
    await user.click(screen.getByRole('button', { name: 'Insert variable into Message' }));
    const menu = screen.getByRole('menu', { name: 'Variables' });
    for (const v of ['$trigger.amount', '$trigger.launchedBy', '$contact.firstName', '$contact.fields.order_id', '$step.refund_id']) {
      expect(within(menu).getByRole('menuitem', { description: insertsVariable(v) })).toBeTruthy();
    }
    await user.click(within(menu).getByRole('menuitem', { description: insertsVariable('$trigger.amount') }));
    expect(screen.getByLabelText('Message')).toHaveProperty('value', '{{$trigger.amount}}');
  });

  it('chooses jump and branch targets from the workflow\'s own steps', async () => {
    const user = userEvent.setup();
    renderEditor(draft());
    await addStep(user, 'Send a message');
    await addStep(user, 'Add an internal comment');
    await addStep(user, 'Jump to a step');
    const jump = screen.getByLabelText('Jump to step');
    const options = within(jump).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Choose a step…', '1. Send a message (send_message_1)', '2. Add an internal comment (add_comment_1)', 'End the workflow']);
    await user.selectOptions(jump, 'add_comment_1');
    expect(jump).toHaveProperty('value', 'add_comment_1');

    await addStep(user, 'Branch');
    const goTo = screen.getByLabelText('Branch 1 goes to');
    expect(within(goTo).getByRole('option', { name: '3. Jump to a step (jump_to_1)' })).toBeTruthy();
    expect(within(goTo).queryByRole('option', { name: /branch_1/ })).toBeNull();
  });

  it('puts the server\'s 422 details on their fields and keeps what was typed', async () => {
    const user = userEvent.setup();
    const calls = renderEditor(draft(), {
      'POST /workflows': {
        status: 422,
        body: { error: { code: 'invalid', message: 'The workflow is not valid', details: [{ path: 'body.steps.0.config.url', message: 'That host is not allowed' }, { path: 'trigger.name', message: 'Name taken' }] } },
      },
    });
    await addStep(user, 'HTTP request');
    const url = screen.getByLabelText('URL');
    await user.clear(url);
    await user.type(url, 'https://internal.example/refund');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(true));
    expect((await screen.findAllByText('That host is not allowed')).length).toBeGreaterThan(0);
    expect(screen.getByLabelText('URL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Shortcut name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('URL')).toHaveProperty('value', 'https://internal.example/refund');
    const stored = JSON.parse(sessionStorage.getItem('ic-options-draft:new') ?? '{}') as WorkflowDraft;
    expect(stored.steps[0]).toMatchObject({ type: 'http_request', config: { url: 'https://internal.example/refund' } });
  });

  it('does not send a draft the contract refuses, and says where', async () => {
    const user = userEvent.setup();
    const calls = renderEditor(draft({ name: '' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('To fix before saving:')).toBeTruthy();
    expect(screen.getAllByText('Give the workflow a name').length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });
});
