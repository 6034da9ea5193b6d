import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { adEligibility, type Ad } from '../../lib/contracts/ads';
import { savedAsDraft, ok, renderWithProviders, serveApi, type Routes } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const ad = (over: Partial<Ad>): Ad => ({
  adAccountId: 'act_1', adId: 'ad_x', name: 'Ad', channel: 'whatsapp_cloud_api', status: 'ACTIVE',
  objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP', ...over,
});
const catalog = [
  ad({ adId: 'ad_spring', name: 'Spring sale' }),
  ad({ adId: 'ad_old', name: 'Old promo', channel: 'instagram', status: 'ARCHIVED' }),
  ad({ adAccountId: 'act_2', adId: 'ad_b2b', name: 'B2B leads' }),
].map((a) => ({ ...a, ...adEligibility(a) }));

const manifest = (key: string, name: string, triggers: { key: string; name: string; items: string[] }[]) => ({
  key, name, description: '', scopes: [], authInputs: [], actions: [],
  fields: [{ key: 'amount', label: 'Amount', type: 'number' }, { key: 'orderId', label: 'Order', type: 'text' }],
  triggers,
});
const apps = [
  { id: 'app_pay', key: 'payments', createdAt: at, installation: { id: 'inst_1', appId: 'app_pay', createdAt: at },
    manifest: manifest('payments', 'Payments', [{ key: 'payment_failed', name: 'Payment failed', items: ['amount', 'orderId'] }, { key: 'refund_done', name: 'Refund done', items: [] }]) },
  { id: 'app_crm', key: 'crm', createdAt: at, installation: null, manifest: manifest('crm', 'CRM Sync', [{ key: 'deal_won', name: 'Deal won', items: [] }]) },
];

function renderEditor(trigger: WorkflowDraft['trigger']) {
  const routes: Routes = {
    'GET /fields': ok({ fields: [] }),
    'GET /apps': ok({ apps }),
    'GET /ads': ok({ ads: catalog }),
    'GET /users': ok({ users: [] }),
    'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    'POST /workflows': savedAsDraft(at),
  };
  const calls = serveApi(routes);
  const initial: WorkflowDraft = { name: 'Leads', trigger, oncePerContact: false, steps: [{ id: 'note', type: 'add_comment', config: { text: 'New lead' } }] };
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  return calls;
}

afterEach(() => sessionStorage.clear());

describe('Click-to-Chat ad picker', () => {
  it('offers the account\'s ads, ineligible ones disabled with their reasons, and saves the chosen ones', async () => {
    const user = userEvent.setup();
    const calls = renderEditor({ type: 'click_to_chat_ads', adAccountId: '', adIds: [] });
    const account = screen.getByLabelText('Ad account');
    await waitFor(() => expect(within(account).getByRole('option', { name: 'act_2' })).toBeTruthy());
    await user.selectOptions(account, 'act_1');

    const ads = within(screen.getByRole('group', { name: 'Ads' }));
    expect(ads.queryByRole('checkbox', { name: /B2B leads/ })).toBeNull();
    const old = ads.getByRole('checkbox', { name: /Old promo/ });
    expect(old).toHaveProperty('disabled', true);
    const reasons = document.getElementById(old.getAttribute('aria-describedby') ?? '')!;
    expect(reasons.getAttribute('aria-label')).toBe('Why Old promo cannot be chosen');
    expect(within(reasons).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('Channel instagram is not eligible'),
      expect.stringContaining('Status ARCHIVED is not eligible: only ACTIVE or PAUSED ads can trigger a workflow'),
    ]);

    const spring = ads.getByRole('checkbox', { name: /Spring sale/ });
    expect(spring).toHaveProperty('disabled', false);
    await user.click(spring);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: ['ad_spring'] },
    }));
  });

  it('asks for an ad before saving', async () => {
    const user = userEvent.setup();
    const calls = renderEditor({ type: 'click_to_chat_ads', adAccountId: '', adIds: [] });
    await waitFor(() => expect(within(screen.getByLabelText('Ad account')).getByRole('option', { name: 'act_1' })).toBeTruthy());
    await user.selectOptions(screen.getByLabelText('Ad account'), 'act_1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('To fix before saving:')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });
});

describe('mini-app trigger picker', () => {
  it('offers the triggers of installed apps only, shows their variables, and saves the choice', async () => {
    const user = userEvent.setup();
    const calls = renderEditor({ type: 'mini_app', appId: '', triggerKey: '' });
    const app = screen.getByLabelText('App');
    await waitFor(() => expect(within(app).getByRole('option', { name: 'Payments' })).toBeTruthy());
    expect(within(app).queryByRole('option', { name: 'CRM Sync' })).toBeNull();
    expect(screen.getByLabelText('App trigger')).toHaveProperty('disabled', true);

    await user.selectOptions(app, 'app_pay');
    const trigger = screen.getByLabelText('App trigger');
    expect(within(trigger).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a trigger\u2026', 'Payment failed', 'Refund done']);
    await user.selectOptions(trigger, 'payment_failed');
    expect(screen.getByText('Variables: $trigger.amount, $trigger.orderId')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      trigger: { type: 'mini_app', appId: 'app_pay', triggerKey: 'payment_failed' },
    }));
  });

  it('says so when no app is installed', async () => {
    serveApi({ 'GET /apps': ok({ apps: [apps[1]] }), 'GET /fields': ok({ fields: [] }) });
    renderWithProviders(<WorkflowEditor id={undefined} restored={false} onDiscard={() => undefined}
      initial={{ name: 'x', trigger: { type: 'mini_app', appId: '', triggerKey: '' }, oncePerContact: false, steps: [] }} />);
    expect(await screen.findByText('No mini-app is installed: install one under Mini-apps.')).toBeTruthy();
  });
});
