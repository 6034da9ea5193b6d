import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdsCatalogSettings } from '../../components/options/AdsCatalogSettings';
import { ClosingCategoriesSettings } from '../../components/options/ClosingCategoriesSettings';
import { CustomFieldsSettings } from '../../components/options/CustomFieldsSettings';
import { Shell } from '../../components/options/Shell';
import { adEligibility } from '../../lib/contracts/ads';
import type { User } from '../../lib/contracts/users';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const admin: User = { id: 'u_admin', name: 'Ada Admin', email: 'ada@example.com', role: 'admin', kind: 'human', shortcutsEnabled: true, createdAt: at };
const me = { user: admin, permissions: { launchShortcuts: true, configure: true, superviseAgents: true } };

afterEach(() => { window.location.hash = ''; });

describe('settings: users', () => {
  it('shows a new user\'s token once, and not after navigating away and back', async () => {
    const user = userEvent.setup();
    const users: User[] = [admin];
    const calls = serveApi({
      'GET /users': () => ok({ users }),
      'POST /users': (c: ApiCall) => {
        const created = { id: 'u_2', ...(c.body as { name: string; email: string; role: 'agent' }), kind: 'human' as const, shortcutsEnabled: true, createdAt: at };
        users.push(created);
        return ok({ user: created, token: 'ict_secret_token_123' });
      },
      'GET /settings/closing-categories': ok({ categories: [] }),
      'GET /fields': ok({ fields: [] }),
      'GET /ads': ok({ ads: [] }),
      'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    });
    window.location.hash = '#/settings';
    renderWithProviders(<Shell me={me} serverUrl="http://127.0.0.1:8799" />);
    const panel = within(await screen.findByRole('region', { name: 'Users' }));

    await user.click(panel.getByRole('button', { name: 'Create user' }));
    expect(await panel.findAllByText('Enter a name')).toHaveLength(1);
    expect(panel.getByText('Enter a valid email address')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    await user.type(panel.getByLabelText('Name'), 'Bo Agent');
    await user.type(panel.getByLabelText('Email'), 'bo@example.com');
    await user.selectOptions(panel.getByLabelText('Role'), 'agent');
    await user.click(panel.getByRole('button', { name: 'Create user' }));
    expect(await panel.findByText('ict_secret_token_123')).toBeTruthy();
    expect(calls).toContainEqual({ method: 'POST', path: '/users', body: { name: 'Bo Agent', email: 'bo@example.com', role: 'agent', kind: 'human' } });
    expect(await panel.findByRole('cell', { name: 'bo@example.com' })).toBeTruthy();

    await user.click(screen.getByRole('link', { name: 'Workflows' }));
    expect(await screen.findByRole('heading', { name: 'Workflows' })).toBeTruthy();
    await user.click(screen.getByRole('link', { name: 'Settings' }));
    expect(await screen.findByRole('cell', { name: 'bo@example.com' })).toBeTruthy();
    expect(screen.queryByText('ict_secret_token_123')).toBeNull();
  });
});

describe('settings: closing categories', () => {
  it('adds and removes categories and saves the list', async () => {
    const user = userEvent.setup();
    let categories = ['Resolved', 'Spam'];
    const calls = serveApi({
      'GET /settings/closing-categories': () => ok({ categories }),
      'PUT /settings/closing-categories': (c: ApiCall) => {
        categories = (c.body as { categories: string[] }).categories;
        return ok({ categories });
      },
    });
    renderWithProviders(<ClosingCategoriesSettings />);
    await screen.findByText('Spam');
    const save = screen.getByRole('button', { name: 'Save categories' });
    expect(save).toHaveProperty('disabled', true);

    await user.type(screen.getByLabelText('New category'), 'Refund issued{Enter}');
    await user.click(screen.getByRole('button', { name: 'Remove category Spam' }));
    expect(screen.getByLabelText('New category')).toHaveProperty('value', '');
    await user.click(save);
    await waitFor(() => expect(calls).toContainEqual({ method: 'PUT', path: '/settings/closing-categories', body: { categories: ['Resolved', 'Refund issued'] } }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(save).toHaveProperty('disabled', true);
  });
});

describe('settings: custom fields', () => {
  it('saves a list field with its options, and asks for options first', async () => {
    const user = userEvent.setup();
    const fields: unknown[] = [];
    const calls = serveApi({
      'GET /fields': () => ok({ fields }),
      'PUT /fields/plan': (c: ApiCall) => {
        const f = { key: 'plan', ...(c.body as object) };
        fields.push(f);
        return ok(f);
      },
    });
    renderWithProviders(<CustomFieldsSettings />);
    await user.type(screen.getByLabelText('Key'), 'plan');
    await user.type(screen.getByLabelText('Label'), 'Plan');
    expect(screen.queryByLabelText('Options (comma separated)')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Type'), 'list');
    await user.click(screen.getByRole('button', { name: 'Save field' }));
    expect(await screen.findByText('A list field needs at least one option')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);

    await user.type(screen.getByLabelText('Options (comma separated)'), 'Free, Pro ,, Enterprise');
    await user.click(screen.getByRole('button', { name: 'Save field' }));
    await waitFor(() => expect(calls).toContainEqual({ method: 'PUT', path: '/fields/plan', body: { label: 'Plan', type: 'list', options: ['Free', 'Pro', 'Enterprise'] } }));
    const row = (await screen.findByRole('cell', { name: 'Free, Pro, Enterprise' })).closest('tr');
    expect(row?.textContent).toContain('plan');
  });
});

describe('settings: ads catalog', () => {
  it('adds an ineligible ad and shows why it cannot trigger a workflow', async () => {
    const user = userEvent.setup();
    const ads: unknown[] = [];
    const calls = serveApi({
      'GET /ads': () => ok({ ads }),
      'POST /ads': (c: ApiCall) => {
        const ad = c.body as Parameters<typeof adEligibility>[0];
        const withEligibility = { ...ad, ...adEligibility(ad) };
        ads.push(withEligibility);
        return ok(withEligibility);
      },
    });
    renderWithProviders(<AdsCatalogSettings />);
    await user.type(screen.getByLabelText('Ad account ID'), 'act_1');
    await user.type(screen.getByLabelText('Ad ID'), 'ad_old');
    await user.type(screen.getByLabelText('Name'), 'Old promo');
    await user.clear(screen.getByLabelText('Status'));
    await user.type(screen.getByLabelText('Status'), 'ARCHIVED');
    await user.selectOptions(screen.getByLabelText('Channel'), 'instagram');
    await user.click(screen.getByRole('button', { name: 'Add ad' }));

    await waitFor(() => expect(calls).toContainEqual(expect.objectContaining({ method: 'POST', path: '/ads', body: expect.objectContaining({ channel: 'instagram', status: 'ARCHIVED' }) })));
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toContain('Old promo was added.');
    expect(notice.textContent).toContain('It cannot trigger a workflow');
    const reasons = await screen.findAllByRole('list', { name: 'Why Old promo cannot trigger a workflow' });
    expect(reasons.length).toBe(2);
    const items = within(reasons[0]!).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      expect.stringContaining('Channel instagram is not eligible'),
      expect.stringContaining('Status ARCHIVED is not eligible'),
    ]);
  });

  it('says in words what an ad is missing', async () => {
    const user = userEvent.setup();
    const calls = serveApi({ 'GET /ads': ok({ ads: [] }) });
    renderWithProviders(<AdsCatalogSettings />);
    await user.click(screen.getByRole('button', { name: 'Add ad' }));
    expect((await screen.findAllByText(/^Enter the /)).length).toBe(3);
    expect(screen.getByText('Enter the ad id')).toBeTruthy();
    expect(screen.getByLabelText('Ad ID').getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });
});
