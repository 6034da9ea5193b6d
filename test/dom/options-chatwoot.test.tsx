import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChatwootSettings } from '../../components/options/ChatwootSettings';
import type { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const account = (over: Partial<ChatwootAccount> = {}): ChatwootAccount => ({
  id: 'cwa_1', name: 'Acme Support', baseUrl: 'https://chat.example.com', origin: 'https://chat.example.com', accountId: 3, agentName: 'Alex Agent',
  tokenLastFour: '••••1234', webhookSecretLastFour: null, webhookUrl: 'https://companion.example.com/chatwoot/webhook/tok123', status: 'active',
  lastSyncedAt: null, lastError: null, createdAt: '2026-01-01T00:00:00.000Z', ...over,
});

describe('settings: Chatwoot', () => {
  it('connects an account, showing the server\'s refusal on the field it names', async () => {
    const user = userEvent.setup();
    const accounts: ChatwootAccount[] = [];
    const calls = serveApi({
      'GET /chatwoot/accounts': () => ok({ accounts }),
      'POST /chatwoot/accounts': (c: ApiCall) => {
        const body = c.body as { apiAccessToken: string };
        if (body.apiAccessToken !== 'good-token-1234') {
          const message = 'Chatwoot refused the API access token ("Invalid Access Token")';
          return { status: 422, body: { error: { code: 'chatwoot_unauthorized', message, details: [{ path: 'apiAccessToken', message }] } } };
        }
        accounts.push(account());
        return { status: 201, body: accounts[0] };
      },
    });
    renderWithProviders(<ChatwootSettings />);
    const form = within(await screen.findByRole('form', { name: 'Connect a Chatwoot account' }));
    await user.click(form.getByRole('button', { name: 'Connect Chatwoot' }));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    await user.type(form.getByLabelText('Chatwoot address'), 'https://chat.example.com/');
    await user.type(form.getByLabelText('Account ID'), '3');
    await user.type(form.getByLabelText('API access token'), 'bad-token-0000');
    await user.click(form.getByRole('button', { name: 'Connect Chatwoot' }));
    expect(await form.findByText(/refused the API access token/)).toBeTruthy();
    expect(form.getByLabelText('API access token').getAttribute('aria-invalid')).toBe('true');
    expect(calls).toContainEqual({ method: 'POST', path: '/chatwoot/accounts', body: { baseUrl: 'https://chat.example.com', accountId: 3, apiAccessToken: 'bad-token-0000' } });

    await user.clear(form.getByLabelText('API access token'));
    await user.type(form.getByLabelText('API access token'), 'good-token-1234');
    await user.click(form.getByRole('button', { name: 'Connect Chatwoot' }));
    const card = within(await screen.findByRole('article', { name: 'Chatwoot Acme Support' }));
    expect((card.getByLabelText('Webhook URL') as HTMLInputElement).value).toBe('https://companion.example.com/chatwoot/webhook/tok123');
    expect(card.getByText(/conversation_created, conversation_status_changed/)).toBeTruthy();
    expect(card.getByText('Last synced: never')).toBeTruthy();
  });

  it('syncs now and shows when it last synced, or why it failed', async () => {
    const user = userEvent.setup();
    let current = account({ lastSyncedAt: null });
    serveApi({
      'GET /chatwoot/accounts': () => ok({ accounts: [current] }),
      'POST /chatwoot/accounts/cwa_1/sync': () => {
        current = account({ lastSyncedAt: '2026-03-04T05:06:07.000Z' });
        return ok({ account: current, conversations: 4, contacts: 3, repaired: 2 });
      },
    });
    renderWithProviders(<ChatwootSettings />);
    const card = within(await screen.findByRole('article', { name: 'Chatwoot Acme Support' }));
    await user.click(card.getByRole('button', { name: 'Sync Acme Support now' }));
    expect(await card.findByText(/4 conversations checked, 2 changes repaired/)).toBeTruthy();
    expect(card.getByText(new RegExp(new Date('2026-03-04T05:06:07.000Z').toLocaleString().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))).toBeTruthy();
  });

  it('sets the webhook secret Chatwoot shows once the webhook exists, and says when a new token is refused', async () => {
    const user = userEvent.setup();
    let current = account();
    const calls = serveApi({
      'GET /chatwoot/accounts': () => ok({ accounts: [current] }),
      'PATCH /chatwoot/accounts/cwa_1': (c: ApiCall) => {
        const body = c.body as { webhookSecret?: string; apiAccessToken?: string };
        if (body.apiAccessToken) return { status: 422, body: { error: { code: 'chatwoot_unauthorized', message: 'Chatwoot refused the API access token ("Invalid Access Token")' } } };
        current = account({ webhookSecretLastFour: '••••cdef' });
        return ok(current);
      },
    });
    renderWithProviders(<ChatwootSettings />);
    const card = within(await screen.findByRole('article', { name: 'Chatwoot Acme Support' }));
    expect(card.getByText(/deliveries unsigned/)).toBeTruthy();
    await user.type(card.getByLabelText('Webhook secret'), 'whsec-abcdef');
    await user.click(card.getByRole('button', { name: 'Save the webhook secret of Acme Support' }));
    expect(await card.findByText(/webhook secret ••••cdef/)).toBeTruthy();
    expect(calls).toContainEqual({ method: 'PATCH', path: '/chatwoot/accounts/cwa_1', body: { webhookSecret: 'whsec-abcdef' } });
    await user.type(card.getByLabelText('New API access token'), 'wrong-token-1');
    await user.click(card.getByRole('button', { name: 'Save the new API access token of Acme Support' }));
    expect((await card.findByRole('alert')).textContent).toMatch(/refused the API access token/);
  });

  it('shows the last sync error of an account', async () => {
    serveApi({ 'GET /chatwoot/accounts': ok({ accounts: [account({ status: 'error', lastError: 'Sync failed: Chatwoot refused the API access token' })] }) });
    renderWithProviders(<ChatwootSettings />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/Sync failed: Chatwoot refused/);
  });

  it.each([
    ['the agent bot', { kind: 'bot', name: 'Inbox Companion', note: null }, /show in Chatwoot as the agent bot Inbox Companion\./],
    ['the connected user, and why', { kind: 'user', name: 'Alex Agent', note: 'Chatwoot refused the agent bot\'s token (Invalid Access Token): messages now show as written by the connected user' }, /show in Chatwoot as Alex Agent\. Chatwoot refused the agent bot's token/],
  ] as const)('says who workflows write into Chatwoot as: %s', async (_name, postsAs, shown) => {
    serveApi({ 'GET /chatwoot/accounts': ok({ accounts: [account({ postsAs: { ...postsAs } })] }) });
    renderWithProviders(<ChatwootSettings />);
    const card = within(await screen.findByRole('article', { name: 'Chatwoot Acme Support' }));
    expect(card.getByText(shown)).toBeTruthy();
  });
});
