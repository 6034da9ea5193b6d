import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { AdReferral } from '../../lib/contracts/ad-referral';
import { Contact } from '../../lib/contracts/contacts';
import { Conversation } from '../../lib/contracts/conversations';
import { WorkflowDefinition } from '../../lib/contracts/workflow';
import { conversationScope, renderTemplate } from '../../lib/workflow/template';
import { structuralProblems } from '../../lib/workflow/validate-workflow';
import { ok, renderWithProviders, serveApi, type Routes } from './options-harness';
import { insertsVariable, offeredVariables } from './variable-menu';

// The editor's "Insert variable" menu offers what publishing accepts and a run fills: the
// contact's and conversation's properties as their contracts have them (lib/workflow/template.ts),
// the workspace's custom fields, the trigger's variables and $system.now. Nothing it offers may be
// refused at publish, so the two lists cannot drift apart.

const at = '2025-01-01T00:00:00.000Z';
const draft: WorkflowDraft = {
  name: 'Refund',
  trigger: { type: 'shortcut', icon: '⚡', name: 'Refund', description: '', form: { fields: [{ label: 'Order', type: 'text', variable: 'order', required: false }] } },
  oncePerContact: false,
  steps: [],
};
const fieldKeys = ['order_id', 'vip_since'];
const routes: Routes = {
  'GET /fields': ok({ fields: fieldKeys.map((key) => ({ key, label: key, type: 'text', options: [] })) }),
  'GET /apps': ok({ apps: [] }),
  'GET /users': ok({ users: [] }),
  'GET /settings/closing-categories': ok({ categories: [] }),
  'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
  'POST /workflows': ({ body }) => ok({ id: 'wf_1', ...(body as object), status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null }),
};

/** Renders the editor with a Send a message step and opens the Message field's variable menu. */
async function openPicker() {
  const user = userEvent.setup();
  const calls = serveApi(routes);
  renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
  await user.selectOptions(screen.getByLabelText('New step'), 'Send a message');
  await user.click(screen.getByRole('button', { name: 'Add step' }));
  const toggle = screen.getByRole('button', { name: 'Insert variable into Message' });
  // The custom fields arrive from the options queries.
  await waitFor(async () => {
    if (toggle.getAttribute('aria-expanded') !== 'true') await user.click(toggle);
    expect(screen.getByRole('menuitem', { description: insertsVariable('$contact.fields.order_id') })).toBeTruthy();
  });
  const offered = offeredVariables(screen.getAllByRole('menuitem'));
  return { user, calls, offered };
}

const contact = Contact.parse({
  id: 'ct_1', firstName: 'Ana', lastName: 'Ruiz', phone: '+34600111222', email: 'ana@example.com', tags: ['vip'],
  fields: { order_id: 'A-1042', vip_since: '2024' }, lifecycle: 'customer', createdAt: at,
});
const conversation = Conversation.parse({
  id: 'cv_1', contactId: 'ct_1', status: 'open', openedBySource: 'contact', closedBySource: null, closeReason: null,
  category: null, summary: null, assigneeId: null, openedAt: at, closedAt: null, firstIncomingMessage: 'Hi',
  firstResponseAt: null, connectionId: 'cwa_1', externalId: '123', inboxName: 'Website', channelType: 'web',
});

describe('the variable picker', () => {
  it('offers every contact and conversation property, the custom fields, the trigger and the system', async () => {
    const { offered } = await openPicker();
    expect(offered).toEqual(expect.arrayContaining([
      '$contact.firstName', '$contact.lifecycle', '$contact.createdAt',
      '$contact.fields.order_id', '$contact.fields.vip_since',
      '$conversation.id', '$conversation.status', '$conversation.assigneeId', '$conversation.firstIncomingMessage',
      '$trigger.order', '$trigger.launchedBy', '$system.now',
    ]));
    // Every property of the contracts, independently of the picker's source.
    for (const key of Object.keys(Contact.shape).filter((k) => k !== 'fields')) expect(offered).toContain(`$contact.${key}`);
    for (const key of Object.keys(Conversation.shape).filter((k) => k !== 'adReferral')) expect(offered).toContain(`$conversation.${key}`);
    // The ad that opened the conversation is offered field by field too.
    for (const key of Object.keys(AdReferral.shape)) expect(offered).toContain(`$conversation.adReferral.${key}`);
    expect(offered).not.toContain('$conversation.adReferral');
    // The record of custom fields is offered field by field, not as one JSON value.
    expect(offered).not.toContain('$contact.fields');
    expect(new Set(offered).size).toBe(offered.length);
  });

  it('offers nothing publishing would refuse, and nothing a run leaves empty', async () => {
    const { offered } = await openPicker();
    const steps = offered.map((v, i) => ({ id: `s${i}`, type: 'send_message', config: { text: `{{${v}}}` } }));
    const definition = WorkflowDefinition.parse({ ...draft, steps });
    expect(structuralProblems(definition, { fieldKeys })).toEqual([]);

    // The renderer fills each from a run's scope (server/engine/executor/step-context.ts templateScope).
    const scope = {
      contact: { ...contact }, conversation: conversationScope(conversation),
      trigger: { order: 'A-1042', launchedBy: 'u1', launchedByName: 'Ava' }, step: {}, system: { now: at },
    };
    for (const v of offered) expect(renderTemplate(`{{${v}}}`, scope).unknown, v).toEqual([]);
  });

  it('inserts {{$contact.lifecycle}} into the message, which saves without a publish warning', async () => {
    const { user, calls } = await openPicker();
    await user.click(screen.getByRole('menuitem', { description: insertsVariable('$contact.lifecycle') }));
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('{{$contact.lifecycle}}');
    await user.click(screen.getByRole('button', { name: 'Insert variable into Message' }));
    await user.click(screen.getByRole('menuitem', { description: insertsVariable('$conversation.openedAt') }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(true));
    const sent = calls.find((c) => c.method === 'POST' && c.path === '/workflows')?.body as WorkflowDraft;
    expect(sent.steps[0]?.config).toMatchObject({ text: '{{$contact.lifecycle}}{{$conversation.openedAt}}' });
    expect(screen.queryByText('To fix before publishing:')).toBeNull();
    expect(screen.getByLabelText('Message').getAttribute('aria-invalid')).toBeNull();
  });
});

describe('the variable picker by keyboard', () => {
  it('Esc closes the menu and gives focus back to its button, where Enter opens it again', async () => {
    const { user } = await openPicker();
    const toggle = screen.getByRole('button', { name: 'Insert variable into Message' });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search variables' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(toggle);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Search variables'));
    // Down from the search goes through the items: the contact's ID, then its first name.
    await user.keyboard('{ArrowDown}');
    expect(offeredVariables([document.activeElement as HTMLElement])).toEqual(['$contact.id']);
    await user.keyboard('{ArrowDown}{Enter}');
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('{{$contact.firstName}}');
  });
});
