import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { ok, renderWithProviders, serveApi } from './options-harness';

// After `npm run forget-secrets` (a lost secret key), an app card looked as before while nothing
// could be sent to the app: it now says what was forgotten and the way back for each.

const at = '2025-01-01T00:00:00.000Z';
const manifest = {
  key: 'payments', name: 'Payments', scopes: [], authInputs: [{ key: 'accountId', label: 'Account ID', type: 'string', required: true }],
  fields: [], triggers: [], actions: [], subscribeUrl: 'https://pay.example/subscribe',
};
const installation = { id: 'inst_1', appId: 'app_1', createdAt: at, apiKeyId: 'tok_1', scopes: [], scopesToGrant: [], previousKeysExpireAt: null };
const app = (forgottenSecrets?: string[]) => ({ id: 'app_1', key: 'payments', manifest, createdAt: at, installation, deliveries: [], ...(forgottenSecrets ? { forgottenSecrets } : {}) });

describe('an app whose credentials the server forgot', () => {
  it.each([
    [['signingSecret', 'authValues'], ['the signing secret: Rotate signing secret below', 'the values entered on install: enter them again']],
    [['authValues'], ['the values entered on install']],
  ])('names what was forgotten (%j) and what to do', async (forgotten, said) => {
    serveApi({ 'GET /apps': ok({ apps: [app(forgotten)] }) });
    renderWithProviders(<MiniAppsPage />);
    const card = within(await screen.findByRole('article', { name: 'Payments' }));
    const notice = card.getByRole('region', { name: 'Forgotten credentials' });
    const items = within(notice).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toHaveLength(said.length);
    said.forEach((text, i) => expect(items[i]).toContain(text));
  });

  it('says nothing when nothing was forgotten', async () => {
    serveApi({ 'GET /apps': ok({ apps: [app()] }) });
    renderWithProviders(<MiniAppsPage />);
    const card = within(await screen.findByRole('article', { name: 'Payments' }));
    expect(card.queryByRole('region', { name: 'Forgotten credentials' })).toBeNull();
  });
});
