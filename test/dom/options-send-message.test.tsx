import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const draft: WorkflowDraft = { name: 'Ad leads', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['lead'] }, oncePerContact: false, steps: [] };

async function addSendMessage(user: ReturnType<typeof userEvent.setup>) {
  await user.selectOptions(screen.getByLabelText('New step'), 'Send a message');
  await user.click(screen.getByRole('button', { name: 'Add step' }));
}

describe('send_message editor (channels)', () => {
  it('edits reply buttons, a fallback template and the Messenger tag, and saves them in the step config', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /users': ok({ users: [] }),
      'GET /settings/closing-categories': ok({ categories: [] }), 'GET /workflows': ok({ workflows: [] }),
      'POST /workflows': (c: ApiCall) => ok({ id: 'wf_1', ...(c.body as object), status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null }),
    });
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addSendMessage(user);
    await user.selectOptions(screen.getByLabelText('Message type'), 'buttons');
    await user.type(screen.getByLabelText('Message'), 'Was it helpful?');
    await user.type(screen.getByLabelText('Button 1'), 'Yes');
    await user.click(screen.getByRole('button', { name: 'Add button' }));
    await user.type(screen.getByLabelText('Button 2'), 'No');
    await user.click(screen.getByRole('button', { name: 'Add a fallback template' }));
    await user.type(screen.getByLabelText('Template name'), 'Bad Name');
    expect(await screen.findByText(/A template name uses lowercase letters, digits and _/)).toBeTruthy();
    await user.clear(screen.getByLabelText('Template name'));
    await user.type(screen.getByLabelText('Template name'), 'we_miss_you');
    await user.selectOptions(screen.getByLabelText('Messenger messaging type'), 'MESSAGE_TAG');
    await user.selectOptions(screen.getByLabelText('Message tag'), 'POST_PURCHASE_UPDATE');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(true));
    const body = calls.find((c) => c.method === 'POST' && c.path === '/workflows')!.body as WorkflowDraft;
    expect(body.steps[0]!.config).toEqual({
      kind: 'buttons', text: 'Was it helpful?', buttons: [{ title: 'Yes' }, { title: 'No' }],
      fallbackTemplate: { name: 'we_miss_you', language: 'en_US', parameters: [] },
      messenger: { messagingType: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE' },
    });
  });

  it('a media message asks for the link first', async () => {
    const user = userEvent.setup();
    serveApi({ 'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /users': ok({ users: [] }), 'GET /settings/closing-categories': ok({ categories: [] }), 'GET /workflows': ok({ workflows: [] }) });
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addSendMessage(user);
    await user.selectOptions(screen.getByLabelText('Message type'), 'media');
    await user.type(screen.getByLabelText('Caption'), 'Your invoice');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText('Enter the link of the file to send')).length).toBeGreaterThan(0);
  });
});
