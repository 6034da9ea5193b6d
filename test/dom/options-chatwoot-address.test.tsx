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

// A Chatwoot moved to https (or another domain): its admin edits the connection's address in place,
// as n8n's credentials edit an instance URL, rather than disconnecting and connecting it again.
describe('settings: a Chatwoot account\'s address', () => {
  it('changes it in place, and shows the server\'s refusal when the new address is not the same Chatwoot', async () => {
    const user = userEvent.setup();
    let current = account();
    const calls = serveApi({
      'GET /chatwoot/accounts': () => ok({ accounts: [current] }),
      'PATCH /chatwoot/accounts/cwa_1': (c: ApiCall) => {
        const { baseUrl } = c.body as { baseUrl: string };
        if (baseUrl !== 'https://chat.example.com') {
          const message = `${baseUrl} refuses the connected token, so it is not the Chatwoot this account was connected at (a Chatwoot accepts only the tokens it issued).`;
          return { status: 422, body: { error: { code: 'chatwoot_other_server', message, details: [{ path: 'baseUrl', message }] } } };
        }
        current = account({ baseUrl, origin: baseUrl });
        return ok(current);
      },
    });
    renderWithProviders(<ChatwootSettings />);
    const card = within(await screen.findByRole('article', { name: 'Chatwoot Acme Support' }));
    const address = card.getByLabelText('Chatwoot address of Acme Support') as HTMLInputElement;
    expect(address.value).toBe('http://chat.example.com');
    const save = card.getByRole('button', { name: 'Save the address of Acme Support' }) as HTMLButtonElement;
    // Nothing to save until it differs.
    expect(save.disabled).toBe(true);

    await user.clear(address);
    // Another port of the same host (another host asks for the token: options-chatwoot-address-host.test.tsx).
    await user.type(address, 'https://chat.example.com:8443');
    await user.click(save);
    expect((await card.findByRole('alert')).textContent).toMatch(/^https:\/\/chat\.example\.com:8443 refuses the connected token, so it is not the Chatwoot/);
    expect(address.getAttribute('aria-invalid')).toBe('true');

    await user.clear(address);
    await user.type(address, 'https://chat.example.com');
    await user.click(save);
    expect(await card.findByText('Address changed to https://chat.example.com.')).toBeTruthy();
    expect(await card.findByText('account 3 at https://chat.example.com')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ baseUrl: 'https://chat.example.com:8443' }, { baseUrl: 'https://chat.example.com' }]);
  });
});
