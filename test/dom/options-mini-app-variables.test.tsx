import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { addStep, ok, renderWithProviders, savedWorkflow, serveApi, type Routes } from './options-harness';
import { insertsVariable, offeredVariables } from './variable-menu';

// A mini-app trigger gives `$trigger.<item>` for each item of the app's trigger (the mini-app 2.0
// Triggers document: items are existing app fields). The step's Insert variable menu offers them,
// as the trigger panel lists them, and the editor warns of a name the trigger does not give, as
// publishing refuses it.

const at = '2025-01-01T00:00:00.000Z';
const payments = {
  id: 'app_1', key: 'payments', createdAt: at, installation: { id: 'ins_1', appId: 'app_1', createdAt: at },
  manifest: {
    key: 'payments', name: 'Payments',
    fields: [
      { key: 'status', label: 'Payment status', type: 'text' },
      { key: 'amount', label: 'Amount', type: 'number' },
      { key: 'order', label: 'Order', type: 'json' },
    ],
    triggers: [{ key: 'payment_paid', name: 'Payment paid', items: ['status', 'amount', 'order'] }],
  },
};
const draft: WorkflowDraft = {
  name: 'Mark paid', trigger: { type: 'mini_app', appId: 'app_1', triggerKey: 'payment_paid' }, oncePerContact: false, steps: [],
};
const routes: Routes = {
  'GET /fields': ok({ fields: [] }),
  'GET /apps': ok({ apps: [payments] }),
  'GET /users': ok({ users: [] }),
  'GET /settings/closing-categories': ok({ categories: [] }),
  'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
  'POST /workflows': ({ body }) => ok({ id: 'wf_1', ...(body as object), status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null }),
};

async function editor() {
  const user = userEvent.setup();
  const calls = serveApi(routes);
  renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
  await addStep(user, 'Send a message');
  return { user, calls };
}

describe('variables of a mini-app trigger', () => {
  it('offers the trigger\'s items in the step\'s Insert variable menu, the json one with how to read inside it', async () => {
    const { user, calls } = await editor();
    const toggle = screen.getByRole('button', { name: 'Insert variable into Message' });
    // The app's manifest arrives from the options queries.
    await waitFor(async () => {
      if (toggle.getAttribute('aria-expanded') !== 'true') await user.click(toggle);
      expect(screen.getByRole('menuitem', { description: insertsVariable('$trigger.status') })).toBeTruthy();
    });
    const offered = offeredVariables(screen.getAllByRole('menuitem'));
    expect(offered.filter((v) => v?.startsWith('$trigger.'))).toEqual(['$trigger.status', '$trigger.amount', '$trigger.order']);
    expect(screen.getByRole('menuitem', { description: insertsVariable('$trigger.order') })).toHaveProperty('textContent', expect.stringContaining('{{$trigger.order.<key>}}'));
    expect(screen.getByRole('menuitem', { description: /^\{\{\$trigger\.order\}\} JSON from the app: add the path of a value inside/ })).toBeTruthy();

    await user.click(screen.getByRole('menuitem', { description: insertsVariable('$trigger.status') }));
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('{{$trigger.status}}');
    await user.click(screen.getByLabelText('Message'));
    await user.paste(' {{$trigger.order.total}}');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await savedWorkflow(calls)).steps[0]?.config).toMatchObject({ text: '{{$trigger.status}} {{$trigger.order.total}}' });
    expect(screen.queryByText('To fix before publishing:')).toBeNull();
  });

  it.each([
    ['{{$trigger.stauts}}', '{{$trigger.stauts}} is not provided by this trigger: did you mean {{$trigger.status}}?'],
    ['{{$trigger.anything.at.all}}', '{{$trigger.anything.at.all}} is not provided by this trigger (it provides status, amount, order)'],
    ['{{$trigger.status.code}}', '{{$trigger.status.code}} reads inside "status", a text item of this trigger: only a json item (order) has values inside; use {{$trigger.status}} for its value'],
  ])('warns on the message field of %s, as publishing refuses it', async (text, message) => {
    const { user } = await editor();
    await user.click(screen.getByLabelText('Message'));
    await user.paste(text);
    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByLabelText('Message').getAttribute('aria-invalid')).toBe('true');
  });
});
