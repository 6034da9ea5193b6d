import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Shell } from '../../components/options/Shell';
import type { User } from '../../lib/contracts/users';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The Settings page lists its controls to a screen reader one after another (a rotor, a forms
// list): "Name" three times told nobody whose name. Each control says its section or its row,
// as the form builder's do ("Label of Order number").

afterEach(() => { window.location.hash = ''; });

const at = '2026-01-01T00:00:00.000Z';
const admin: User = { id: 'u_admin', name: 'Ada Admin', email: 'ada@example.com', role: 'admin', kind: 'human', shortcutsEnabled: true, createdAt: at };
const me = { user: admin, permissions: { launchShortcuts: true, configure: true, superviseAgents: true } };
const chatwoot = (id: string, name: string) => ({
  id, name, baseUrl: 'https://cw.example.com', origin: 'https://cw.example.com', accountId: 1, agentName: null, tokenLastFour: '1234',
  webhookSecretLastFour: '9876', webhookUrl: `https://companion.example.com/webhooks/chatwoot/${id}`, status: 'active', lastSyncedAt: null, lastError: null, createdAt: at,
});

async function openSettings() {
  serveApi({
    'GET /users': ok({ users: [admin] }),
    'GET /settings/closing-categories': ok({ categories: ['Resolved'] }),
    'GET /settings/lifecycle-stages': ok({ stages: ['Lead'] }),
    'GET /fields': ok({ fields: [] }),
    'GET /channels': ok({ channels: [] }),
    'GET /ads': ok({ ads: [] }),
    'GET /ads/accounts': ok({ accounts: [] }),
    'GET /ads/workflow-warnings': ok({ workflows: [] }),
    'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    'GET /chatwoot/accounts': ok({ accounts: [chatwoot('cw_1', 'Support'), chatwoot('cw_2', 'Sales')] }),
  });
  window.location.hash = '#/settings';
  renderWithProviders(<Shell me={me} serverUrl="http://127.0.0.1:8799" />);
  await screen.findByRole('region', { name: 'Users' });
  await screen.findByRole('article', { name: 'Chatwoot Sales' });
}

/** Every element of these roles with its accessible name, as a screen reader lists them. */
function namesOf(roles: readonly string[]): string[] {
  const names: string[] = [];
  // The name matcher is handed each element's computed name: collected, not filtered.
  for (const role of roles) screen.queryAllByRole(role, { name: (name) => { names.push(name); return true; } });
  return names;
}
const repeatedIn = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);

describe('the Settings page\'s controls', () => {
  it('never share a name: each says its section or its row', async () => {
    await openSettings();
    const names = namesOf(['textbox', 'combobox', 'checkbox', 'spinbutton', 'radio']);
    // Password inputs have no role: their Show buttons, below, carry the account's name.
    expect(names.length).toBeGreaterThan(20);
    expect(repeatedIn(names)).toEqual([]);
    expect(names).not.toContain('');
    // Buttons too: a Chatwoot card's Sync now, Disconnect, Show and Save say which account.
    expect(repeatedIn(namesOf(['button']))).toEqual([]);
  });

  it.each([
    ['Users', 'textbox', 'Name of the new user'],
    ['Users', 'combobox', 'Role of the new user'],
    ['Channels', 'textbox', 'Name of the new channel'],
    ['Channels', 'combobox', 'Channel to connect'],
    ['Ads catalog', 'textbox', 'Name of the new ad'],
    ['Ads catalog', 'textbox', 'Ad account ID of the new ad'],
    ['Ads catalog', 'combobox', 'Channel of the new ad'],
    ['Ad accounts', 'textbox', 'Ad account ID to link'],
    ['Custom contact fields', 'textbox', 'Label of the new field'],
    ['Custom contact fields', 'combobox', 'Type of the new field'],
  ])('in %s, a %s is named %j, starting with its visible label (WCAG 2.5.3)', async (section, role, name) => {
    await openSettings();
    const control = within(screen.getByRole('region', { name: section })).getByRole(role, { name });
    const visible = document.querySelector(`label[for="${control.id}"]`)?.textContent ?? '';
    expect(name.startsWith(visible)).toBe(true);
  });

  it('names each Chatwoot account\'s webhook URL by its account', async () => {
    await openSettings();
    expect(screen.getByRole('textbox', { name: 'Webhook URL of Sales' })).toHaveProperty('value', 'https://companion.example.com/webhooks/chatwoot/cw_2');
    expect(screen.getByRole('textbox', { name: 'Webhook URL of Support' })).toBeTruthy();
  });
});
