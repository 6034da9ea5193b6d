import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { ok, renderWithProviders, serveApi, type Routes } from './options-harness';
import { insertsVariable } from './variable-menu';

// A Conversation Opened or Closed workflow reads where the conversation lives from its trigger
// ($trigger.inboxName, $trigger.channelType): a Closed run has no open conversation, so
// $conversation.* is empty there. The Insert variable menu offers them, and they save unwarned.

const at = '2025-01-01T00:00:00.000Z';
const routes: Routes = {
  'GET /fields': ok({ fields: [] }),
  'GET /apps': ok({ apps: [] }),
  'GET /users': ok({ users: [] }),
  'GET /settings/closing-categories': ok({ categories: [] }),
  'GET /chatwoot/inboxes': ok({ inboxes: [], errors: [] }),
  'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
  'POST /workflows': ({ body }) => ok({ id: 'wf_1', ...(body as object), status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null }),
};

describe('the inbox and channel of a Conversation Opened / Closed trigger', () => {
  it.each(['conversation_opened', 'conversation_closed'] as const)('%s offers $trigger.inboxName and $trigger.channelType, which save unwarned', async (type) => {
    const user = userEvent.setup();
    const calls = serveApi(routes);
    const draft: WorkflowDraft = { name: 'Where', trigger: { type }, oncePerContact: false, steps: [] };
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await user.selectOptions(screen.getByLabelText('New step'), 'Add an internal comment');
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    for (const name of ['$trigger.inboxName', '$trigger.channelType']) {
      await user.click(screen.getByRole('button', { name: 'Insert variable into Comment' }));
      await user.click(await screen.findByRole('menuitem', { description: insertsVariable(name) }));
    }
    expect((screen.getByLabelText('Comment') as HTMLTextAreaElement).value).toBe('{{$trigger.inboxName}}{{$trigger.channelType}}');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(true));
    expect(screen.queryByText('To fix before publishing:')).toBeNull();
    expect(screen.getByLabelText('Comment').getAttribute('aria-invalid')).toBeNull();
  });
});
