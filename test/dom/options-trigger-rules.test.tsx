import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { Trigger, triggerVariables, type TriggerInput } from '../../lib/contracts/triggers';
import { savedAsDraft, ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';
import { offeredVariables } from './variable-menu';

const at = '2025-01-01T00:00:00.000Z';

function renderEditor(trigger: WorkflowDraft['trigger'], oncePerContact = false) {
  const calls = serveApi({
    'GET /fields': ok({ fields: [{ key: 'plan', label: 'Plan', type: 'text', options: [] }] }),
    'GET /apps': ok({ apps: [] }),
    'GET /users': ok({ users: [] }),
    'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    'GET /settings/closing-categories': ok({ categories: ['Resolved'] }),
    'POST /workflows': savedAsDraft(at),
  });
  const initial: WorkflowDraft = { name: 'Rules', trigger, oncePerContact, steps: [{ id: 'msg', type: 'send_message', config: { text: 'Hi' } }] };
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  return calls;
}

afterEach(() => sessionStorage.clear());

describe('trigger rules on the options page', () => {
  it('offers once per contact on the manual trigger too, and saves it', async () => {
    const user = userEvent.setup();
    const calls = renderEditor({ type: 'manual' });
    const once = screen.getByRole('checkbox', { name: 'Trigger once per contact' });
    await user.click(once);
    await user.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ trigger: { type: 'manual' }, oncePerContact: true }));
  });

  it('lets Contact Field Updated watch standard contact fields as well as custom ones', async () => {
    const user = userEvent.setup();
    renderEditor({ type: 'contact_field_updated', field: '' });
    const picker = screen.getByLabelText('When this contact field changes');
    await waitFor(() => expect(within(picker).getByRole('option', { name: 'Plan (plan)' })).toBeTruthy());
    const standard = within(within(picker).getByRole('group', { name: 'Contact fields' })).getAllByRole('option').map((o) => o.getAttribute('value'));
    expect(standard).toEqual(['firstName', 'lastName', 'email', 'phone', 'lifecycle']);
    await user.selectOptions(picker, 'email');
    expect(picker).toHaveProperty('value', 'email');
  });

  it.each<[string, TriggerInput]>([
    ['conversation opened', { type: 'conversation_opened' }],
    ['conversation closed', { type: 'conversation_closed' }],
    ['tag updated', { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }],
    ['field updated', { type: 'contact_field_updated', field: 'plan' }],
  ])('the variable picker lists exactly what the %s trigger provides', async (_name, trigger) => {
    const user = userEvent.setup();
    renderEditor(trigger);
    await user.click(screen.getByRole('button', { name: 'Insert variable into Message' }));
    const offered = offeredVariables(within(screen.getByRole('menu', { name: 'Variables' })).getAllByRole('menuitem'))
      .filter((v) => v.startsWith('$trigger.'));
    expect(offered).toEqual(triggerVariables(Trigger.parse(trigger)).map((v) => `$trigger.${v}`));
    expect(offered.length).toBeGreaterThan(3);
  });
});

describe('bot users on the settings page', () => {
  it('creates a bot user and shows its API token once', async () => {
    const { Shell } = await import('../../components/options/Shell');
    const user = userEvent.setup();
    const admin = { id: 'u_admin', name: 'Ada', email: 'ada@example.com', role: 'admin' as const, kind: 'human' as const, shortcutsEnabled: true, createdAt: at };
    const users = [admin];
    const calls = serveApi({
      'GET /users': () => ok({ users }),
      'POST /users': (c: ApiCall) => {
        const created = { id: 'u_bot', ...(c.body as { name: string; email: string; role: 'agent'; kind: 'bot' }), shortcutsEnabled: true, createdAt: at };
        users.push(created as never);
        return ok({ user: created, token: 'ict_bot_token' });
      },
      'GET /settings/closing-categories': ok({ categories: [] }),
      'GET /fields': ok({ fields: [] }),
      'GET /ads': ok({ ads: [] }),
      'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    });
    window.location.hash = '#/settings';
    renderWithProviders(<Shell me={{ user: admin, permissions: { launchShortcuts: true, configure: true, superviseAgents: true } }} serverUrl="http://127.0.0.1:8799" />);
    const panel = within(await screen.findByRole('region', { name: 'Users' }));
    await user.type(panel.getByLabelText('Name'), 'Answer bot');
    await user.type(panel.getByLabelText('Email'), 'bot@example.com');
    await user.selectOptions(panel.getByLabelText('Kind'), 'bot');
    await user.click(panel.getByRole('button', { name: 'Create user' }));
    expect(await panel.findByText('ict_bot_token')).toBeTruthy();
    expect(panel.getByRole('status').textContent).toMatch(/API token for Answer bot/);
    expect(calls).toContainEqual({ method: 'POST', path: '/users', body: { name: 'Answer bot', email: 'bot@example.com', role: 'agent', kind: 'bot' } });
    window.location.hash = '';
  });
});

describe('incoming webhook mappings', () => {
  it('says at the second row that a JSON key is mapped twice, naming both rows, and does not save', async () => {
    const user = userEvent.setup();
    const calls = renderEditor({
      type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' },
      mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }, { jsonKey: '$.order.id', variable: 'again' }],
    });
    await user.click(screen.getByRole('button', { name: /save/i }));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    expect((await screen.findAllByText('The JSON key "$.order.id" is mapped twice (rows 1 and 2); map each key once')).length).toBeGreaterThan(0);
    expect(screen.getByLabelText('JSON key 2').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('JSON key 1').getAttribute('aria-invalid')).not.toBe('true');
  });
});
