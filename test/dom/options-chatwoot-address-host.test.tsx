import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChatwootSettings } from '../../components/options/ChatwootSettings';
import type { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const account = (over: Partial<ChatwootAccount> = {}): ChatwootAccount => ({
  id: 'cwa_1', name: 'Acme Support', baseUrl: 'http://chat.example.com', origin: 'http://chat.example.com', accountId: 3, agentName: 'Alex Agent',
  tokenLastFour: '••••1234', webhookSecretLastFour: null, webhookUrl: 'https://companion.example.com/chatwoot/webhook/tok123', status: 'active',
  lastSyncedAt: null, lastError: null, createdAt: '2026-01-01T00:00:00.000Z', ...over,
});

const NEW = 'https://support.acme.example';

// The server sends the connected token only to the host it was connected at: moving to another host
// name takes the token again, so the Address field asks for it there, before Save (as n8n asks
// for a credential again with a new URL), and not for http → https or a port on the same host.
describe('settings: a Chatwoot account moved to another host', () => {
  it('asks for the access token when the host changes, sends it with the address, and shows a refused token at its field', async () => {
    const user = userEvent.setup();
    let current = account();
    const calls = serveApi({
      'GET /chatwoot/accounts': () => ok({ accounts: [current] }),
      'PATCH /chatwoot/accounts/cwa_1': (c: ApiCall) => {
        const { baseUrl, apiAccessToken } = c.body as { baseUrl: string; apiAccessToken?: string };
        if (apiAccessToken !== 'cw_token_at_the_new_domain') {
          const message = 'Invalid Access Token';
          return { status: 422, body: { error: { code: 'chatwoot_unauthorized', message, details: [{ path: 'apiAccessToken', message }] } } };
        }
        current = account({ baseUrl, origin: baseUrl, tokenLastFour: '••••main' });
        return ok(current);
      },
    });
    renderWithProviders(<ChatwootSettings />);
    const card = within(await screen.findByRole('article', { name: 'Chatwoot Acme Support' }));
    const address = card.getByLabelText('Chatwoot address of Acme Support') as HTMLInputElement;
    const save = card.getByRole('button', { name: 'Save the address of Acme Support' }) as HTMLButtonElement;
    const tokenField = () => card.queryByLabelText('Access token of Acme Support at the new address') as HTMLInputElement | null;

    // The same host over https, or on another port: the connected token is used, none asked for.
    await user.clear(address);
    await user.type(address, 'https://chat.example.com:8443');
    expect(tokenField()).toBeNull();
    expect(save.disabled).toBe(false);

    await user.clear(address);
    await user.type(address, NEW);
    const token = tokenField()!;
    expect(token).not.toBeNull();
    expect(token.type).toBe('password');
    expect(card.getByText('Access token at support.acme.example')).toBeTruthy();
    expect(card.getByText(/The connected token is only ever sent to chat\.example\.com\./)).toBeTruthy();
    expect(save.disabled).toBe(true);

    await user.type(token, 'cw_mistyped_token');
    await user.click(save);
    expect((await card.findByRole('alert')).textContent).toBe('Invalid Access Token');
    expect(token.getAttribute('aria-invalid')).toBe('true');
    expect(address.getAttribute('aria-invalid')).toBeNull();

    await user.clear(token);
    await user.type(token, 'cw_token_at_the_new_domain');
    await user.click(save);
    expect(await card.findByText(`Address changed to ${NEW}.`)).toBeTruthy();
    expect(await card.findByText(`account 3 at ${NEW}`)).toBeTruthy();
    expect(tokenField()).toBeNull();
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([
      { baseUrl: NEW, apiAccessToken: 'cw_mistyped_token' },
      { baseUrl: NEW, apiAccessToken: 'cw_token_at_the_new_domain' },
    ]);
  });
});
