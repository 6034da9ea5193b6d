import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChatwootSettings } from '../../components/options/ChatwootSettings';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import type { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { savedAsDraft, ok, renderWithProviders, serveApi } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const account: ChatwootAccount = {
  id: 'cwa_1', name: 'Acme Support', baseUrl: 'https://chat.example.com', origin: 'https://chat.example.com', accountId: 3, agentName: 'Alex Agent',
  tokenLastFour: '••••1234', webhookSecretLastFour: null, webhookUrl: 'https://companion.example.com/chatwoot/webhook/tok123', status: 'active',
  lastSyncedAt: null, lastError: null, createdAt: at,
};

afterEach(() => { sessionStorage.clear(); vi.restoreAllMocks(); });

describe('Conversation Opened / Closed rules on where the conversation lives', () => {
  it('adds a channel rule (named as people call them) and an inbox rule picked from Chatwoot\'s inboxes, and saves them', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /users': ok({ users: [] }), 'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
      'GET /settings/closing-categories': ok({ categories: ['Resolved'] }),
      'GET /chatwoot/inboxes': ok({ inboxes: [
        { connectionId: 'cwa_1', account: 'Acme Support', id: 3, name: 'Website', channel: 'web' },
        { connectionId: 'cwa_1', account: 'Acme Support', id: 4, name: 'WhatsApp Support', channel: 'whatsapp' },
      ], errors: [] }),
      'POST /workflows': savedAsDraft(at),
    });
    const initial: WorkflowDraft = { name: 'WhatsApp leads', trigger: { type: 'conversation_closed' }, oncePerContact: false, steps: [{ id: 'n', type: 'add_comment', config: { text: 'Hi' } }] };
    renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);

    await user.click(screen.getByRole('button', { name: 'Add channel rule' }));
    const channel = screen.getByLabelText('Rule 1 Channel');
    expect(within(channel).getAllByRole('option').map((o) => o.textContent)).toEqual(expect.arrayContaining(['WhatsApp', 'Website chat', 'Email', 'SMS', 'Built-in inbox']));
    await user.selectOptions(channel, 'WhatsApp');
    await user.click(screen.getByRole('button', { name: 'Add inbox rule' }));
    const inbox = screen.getByLabelText('Rule 2 Inbox');
    await waitFor(() => expect(within(inbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['Website', 'WhatsApp Support']));
    await user.selectOptions(inbox, 'WhatsApp Support');
    await user.selectOptions(screen.getByLabelText('Rule 2 operator'), 'is not');
    expect(screen.getByText('1 / 10 inbox rules')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      trigger: { type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'channel', operator: 'is', value: 'whatsapp' }, { field: 'inbox', operator: 'is_not', value: 'WhatsApp Support' }] } },
    }));
  });
});

describe('settings: disconnecting a Chatwoot account', () => {
  it('warns what disconnecting does before it, and shows what the server says it did', async () => {
    const user = userEvent.setup();
    let accounts = [account];
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    serveApi({
      'GET /chatwoot/accounts': () => ok({ accounts }),
      'DELETE /chatwoot/accounts/cwa_1': () => {
        accounts = [];
        return ok({ id: 'cwa_1', openConversations: 2, message: 'Disconnected Acme Support: its webhook URL stops working now. 2 conversations mirrored from it stay open here.' });
      },
    });
    renderWithProviders(<ChatwootSettings />);
    const card = within(await screen.findByRole('article', { name: 'Chatwoot Acme Support' }));
    await user.click(card.getByRole('button', { name: 'Disconnect Acme Support' }));
    expect(confirm.mock.calls[0]![0]).toMatch(/^Disconnect Acme Support\? Its webhook URL stops working.*open ones are no longer updated.*Connecting the same account again picks them up/);
    expect(await screen.findByText(/^Disconnected Acme Support: its webhook URL stops working now\. 2 conversations/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Chatwoot Acme Support' })).toBeNull());
  });

  it('lists what a sync could not copy', async () => {
    const user = userEvent.setup();
    serveApi({
      'GET /chatwoot/accounts': () => ok({ accounts: [account] }),
      'POST /chatwoot/accounts/cwa_1/sync': () => ok({ account, conversations: 1, contacts: 1, repaired: 0, notes: ['Conversation 101: Chatwoot attribute "plan" not copied to the field: "enterprise" is not one of its options'] }),
    });
    renderWithProviders(<ChatwootSettings />);
    const card = within(await screen.findByRole('article', { name: 'Chatwoot Acme Support' }));
    await user.click(card.getByRole('button', { name: 'Sync Acme Support now' }));
    const notes = await card.findByRole('list', { name: 'Sync notes' });
    expect(within(notes).getByText(/attribute "plan" not copied/)).toBeTruthy();
  });
});
