import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { AdAccountsSettings } from '../../components/options/AdAccountsSettings';
import { ChannelsSettings } from '../../components/options/ChannelsSettings';
import { ChatwootSettings } from '../../components/options/ChatwootSettings';
import { ConnectPanel } from '../../components/options/ConnectPanel';
import { ok, renderWithProviders, serveApi } from './options-harness';

const chatwoot = {
  id: 'cwa_1', name: 'Acme Support', baseUrl: 'https://chat.example.com', origin: 'https://chat.example.com', accountId: 3, agentName: 'Alex Agent',
  tokenLastFour: '••••1234', webhookSecretLastFour: '••••cdef', webhookUrl: 'https://companion.example.com/chatwoot/webhook/tok123', status: 'active',
  lastSyncedAt: null, lastError: null, createdAt: '2026-01-01T00:00:00.000Z',
};
const channel = {
  id: 'chn_1', kind: 'whatsapp', name: 'Support line', displayName: null, phoneNumberId: '1065', businessAccountId: '1022',
  tokenLastFour: '••••WXYZ', status: 'active', lastError: null, createdAt: '2026-01-01T00:00:00.000Z',
};

interface Form {
  name: string;
  ui: ReactElement;
  api?: Parameters<typeof serveApi>[0];
  /** Clicks that bring the form up (a Replace token button, another channel kind). */
  open?: (user: ReturnType<typeof userEvent.setup>) => Promise<void>;
  /** Each token field's label, and the name of the toggle that shows it. */
  fields: [label: string, toggle: string][];
}

// Every place the options page takes a credential: typed out of sight, checkable with Show,
// never offered to the browser's password manager, never filled with what the server keeps.
const forms: Form[] = [
  { name: 'sign-in to the companion', ui: <ConnectPanel state={{ state: 'disconnected' }} />, fields: [['Token', 'Show token']] },
  {
    name: 'Chatwoot connect and its secrets', ui: <ChatwootSettings />,
    api: { 'GET /chatwoot/accounts': () => ok({ accounts: [chatwoot] }) },
    fields: [['API access token', 'Show API access token'], ['Webhook secret (optional)', 'Show webhook secret'],
      ['Webhook secret', 'Show webhook secret of Acme Support'], ['New API access token', 'Show new API access token of Acme Support']],
  },
  {
    name: 'WhatsApp connect and replace token', ui: <ChannelsSettings />,
    api: { 'GET /channels': () => ok({ channels: [channel] }) },
    open: async (user) => { await user.click(await screen.findByRole('button', { name: 'Replace the token of Support line' })); },
    fields: [['Access token', 'Show access token of the new channel'], ['New access token', 'Show new access token']],
  },
  {
    name: 'Messenger connect', ui: <ChannelsSettings />,
    api: { 'GET /channels': () => ok({ channels: [] }) },
    open: async (user) => { await user.selectOptions(await screen.findByLabelText('Channel'), 'messenger'); },
    fields: [['Page access token', 'Show page access token of the new channel']],
  },
  {
    name: 'ad account link', ui: <AdAccountsSettings />,
    api: { 'GET /ads/accounts': () => ok({ accounts: [] }), 'GET /ads/workflow-warnings': ok({ workflows: [] }), 'GET /ads': ok({ ads: [] }) },
    fields: [['Marketing API token', 'Show Marketing API token']],
  },
];

describe('options: token fields', () => {
  it.each(forms)('$name: hidden and empty by default, Show reveals, Hide hides again', async ({ ui, api, open, fields }) => {
    const user = userEvent.setup();
    serveApi(api ?? {});
    renderWithProviders(ui);
    await open?.(user);
    for (const [label, toggle] of fields) {
      const input = (await screen.findByLabelText(label)) as HTMLInputElement;
      expect({ label, type: input.type, autocomplete: input.getAttribute('autocomplete'), value: input.value })
        .toEqual({ label, type: 'password', autocomplete: 'off', value: '' });
      const field = input.closest('.secret-input') as HTMLElement;
      expect(field, `${label} has no Show button`).toBeTruthy();
      await user.click(within(field).getByRole('button', { name: toggle }));
      expect(input.type).toBe('text');
      await user.click(within(field).getByRole('button', { name: toggle.replace(/^Show/, 'Hide') }));
      expect(input.type).toBe('password');
    }
  });
});
