import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { savedAsDraft, ok, renderWithProviders, serveApi, type ApiCall, addStep, savedWorkflow } from './options-harness';

// The options page offers Date & Time, Update lifecycle stage and Ask a Question, and saves what
// the admin chose in the contract's shape.

const at = '2025-01-01T00:00:00.000Z';

function renderEditor() {
  const calls = serveApi({
    'GET /fields': ok({ fields: [{ key: 'order_no', label: 'Order number', type: 'number', options: [] }] }),
    'GET /apps': ok({ apps: [] }),
    'GET /users': ok({ users: [] }),
    'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    'GET /settings/closing-categories': ok({ categories: [] }),
    'GET /settings/lifecycle-stages': ok({ stages: ['Lead', 'Customer'] }),
    'POST /workflows': savedAsDraft(at),
  });
  const initial: WorkflowDraft = { name: 'Steps', trigger: { type: 'manual' }, oncePerContact: false, steps: [{ id: 'end', type: 'add_comment', config: { text: 'done' } }] };
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  return calls;
}
const saved = savedWorkflow;

afterEach(() => sessionStorage.clear());

describe('new steps in the workflow editor', () => {
  it('Date & Time: zone, business hours with two ranges on a day, and targets', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'date_time'); // by value: user-event compares option innerHTML (&amp;)
    const zone = screen.getByLabelText('Time zone');
    await user.clear(zone);
    await user.type(zone, 'Europe/Madrid');
    const monday = within(screen.getByRole('group', { name: 'Monday' }));
    await user.click(monday.getByRole('button', { name: 'Add hours on Monday' }));
    const to = monday.getByLabelText('Monday to 1');
    await user.clear(to);
    await user.type(to, '13:00');
    await user.clear(monday.getByLabelText('Monday from 2'));
    await user.type(monday.getByLabelText('Monday from 2'), '15:00');
    await user.selectOptions(screen.getByLabelText('When outside, go to'), 'end');
    await user.click(screen.getByRole('button', { name: /save/i }));
    const step = (await saved(calls)).steps.find((s) => s.type === 'date_time')!;
    expect(step.config).toMatchObject({
      timeZone: 'Europe/Madrid', elseGoTo: 'end',
      schedule: { mode: 'business_hours', hours: { mon: [{ from: '09:00', to: '13:00' }, { from: '15:00', to: '17:00' }], sat: [] } },
    });
  });

  it('Date & Time: switching to specific dates shows date inputs', async () => {
    const user = userEvent.setup();
    renderEditor();
    await addStep(user, 'date_time'); // by value: user-event compares option innerHTML (&amp;)
    await user.selectOptions(screen.getByLabelText('Check against'), 'dates');
    expect(screen.getByLabelText('Date 1')).toHaveProperty('type', 'date');
    expect(screen.queryByRole('group', { name: 'Monday' })).toBeNull();
  });

  it('Update lifecycle stage offers the stages from settings', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'Update lifecycle stage');
    const select = screen.getByLabelText('Move the contact to stage');
    await waitFor(() => expect(within(select).getByRole('option', { name: 'Customer' })).toBeTruthy());
    await user.selectOptions(select, 'Customer');
    await user.click(screen.getByRole('button', { name: /save/i }));
    expect((await saved(calls)).steps.find((s) => s.type === 'update_lifecycle_stage')!.config).toEqual({ stage: 'Customer' });
  });

  it('Ask a Question: question, choices as buttons, where to save, and the three exits', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'Ask a question');
    await user.type(screen.getByLabelText('Question'), 'Which size?');
    await user.selectOptions(screen.getByLabelText('Expected answer'), 'choice');
    await user.selectOptions(screen.getByLabelText('Show choices as'), 'buttons');
    await user.type(screen.getByLabelText('Choices (one per line)'), 'Small{enter}Large');
    await user.type(screen.getByLabelText('Save the answer as $step variable (optional)'), 'size');
    await user.selectOptions(screen.getByLabelText('When no reply comes, go to'), 'end');
    await user.click(screen.getByRole('button', { name: /save/i }));
    const step = (await saved(calls)).steps.find((s) => s.type === 'ask_question')!;
    expect(step.config).toMatchObject({ question: 'Which size?', answerType: 'choice', presentation: 'buttons', choices: ['Small', 'Large'], saveToVariable: 'size', timeoutGoTo: 'end' });
  });
});

describe('lifecycle stages in settings', () => {
  it('adds, orders and saves the stages', async () => {
    const { Shell } = await import('../../components/options/Shell');
    const user = userEvent.setup();
    const admin = { id: 'u_admin', name: 'Ada', email: 'ada@example.com', role: 'admin' as const, kind: 'human' as const, shortcutsEnabled: true, createdAt: at };
    const calls = serveApi({
      'GET /users': ok({ users: [admin] }),
      'GET /settings/closing-categories': ok({ categories: [] }),
      'GET /settings/lifecycle-stages': ok({ stages: ['Lead'] }),
      'PUT /settings/lifecycle-stages': (c: ApiCall) => ok(c.body),
      'GET /fields': ok({ fields: [] }),
      'GET /ads': ok({ ads: [] }),
      'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    });
    window.location.hash = '#/settings';
    renderWithProviders(<Shell me={{ user: admin, permissions: { launchShortcuts: true, configure: true, superviseAgents: true } }} serverUrl="http://127.0.0.1:8799" />);
    const panel = within(await screen.findByRole('region', { name: 'Lifecycle stages' }));
    await waitFor(() => expect(panel.getByText('Lead')).toBeTruthy());
    await user.type(panel.getByLabelText('New stage'), 'Prospect{enter}');
    await user.click(panel.getByRole('button', { name: 'Move Prospect up' }));
    await user.click(panel.getByRole('button', { name: 'Save stages' }));
    await waitFor(() => expect(calls).toContainEqual({ method: 'PUT', path: '/settings/lifecycle-stages', body: { stages: ['Prospect', 'Lead'] } }));
    window.location.hash = '';
  });
});
