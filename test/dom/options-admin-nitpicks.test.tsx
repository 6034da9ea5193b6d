import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { adEligibility, type Ad } from '../../lib/contracts/ads';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// r-admin's nitpicks in the options page: the ad account's last sync read as a raw ISO string, the
// Click-to-Chat trigger listed ad accounts by id only, and a WhatsApp template still offered
// Messenger's messaging type.

const at = '2026-12-06T20:08:19.493Z';
const account = { id: 'ads_1', adAccountId: 'act_1234', name: 'Acme Ads', tokenLastFour: '••••9999', lastSyncedAt: at, lastError: null };
const editorApi = { 'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /users': ok({ users: [] }), 'GET /settings/closing-categories': ok({ categories: [] }), 'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }) };

describe('options page: what an admin reads', () => {
  it('an ad account’s last sync is shown in local time, as Runs show theirs (the ISO time on hover)', async () => {
    const { AdAccountsSettings } = await import('../../components/options/AdAccountsSettings');
    serveApi({ 'GET /ads/accounts': ok({ accounts: [account] }), 'GET /ads/workflow-warnings': ok({ workflows: [] }), 'GET /ads': ok({ ads: [] }) });
    renderWithProviders(<AdAccountsSettings />);
    const table = within(await screen.findByRole('table', { name: 'Ad accounts' }));
    const row = (await table.findByText('Acme Ads', { exact: false })).closest('tr')!;
    const time = row.querySelector('time')!;
    expect(time.textContent).toBe(new Date(at).toLocaleString());
    expect(time.getAttribute('dateTime')).toBe(at);
    expect(row.textContent).not.toContain(at);
  });

  it('the Click-to-Chat trigger names a linked ad account, its id beside; a hand-entered ad’s account by id', async () => {
    const ad = (over: Partial<Ad>): Ad => ({ adAccountId: 'act_1234', adId: 'ad_1', name: 'Summer sale CTWA', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP', ...over });
    const ads = [ad({}), ad({ adAccountId: 'act_9', adId: 'ad_9', name: 'Typed in' })].map((a) => ({ ...a, ...adEligibility(a) }));
    serveApi({ ...editorApi, 'GET /ads': ok({ ads }), 'GET /ads/accounts': ok({ accounts: [account] }) });
    const initial: WorkflowDraft = { name: 'Leads', trigger: { type: 'click_to_chat_ads', adAccountId: '', adIds: [] }, oncePerContact: false, steps: [] };
    renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
    const select = screen.getByLabelText('Ad account');
    await waitFor(() => expect(within(select).getByRole('option', { name: 'Acme Ads (act_1234)' })).toBeTruthy());
    expect(within(select).getAllByRole('option').map((o) => [o.textContent, (o as HTMLOptionElement).value])).toEqual([
      ['Choose an ad account…', ''], ['Acme Ads (act_1234)', 'act_1234'], ['act_9', 'act_9'],
    ]);
  });

  it('a WhatsApp template shows no Messenger messaging type, and one chosen before is not saved with it', async () => {
    const user = userEvent.setup();
    const calls = serveApi({ ...editorApi, 'POST /workflows': (c: ApiCall) => ok({ id: 'wf_1', ...(c.body as object), status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null }) });
    const draft: WorkflowDraft = { name: 'Order', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['lead'] }, oncePerContact: false, steps: [] };
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await user.selectOptions(screen.getByLabelText('New step'), 'Send a message');
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    await user.selectOptions(screen.getByLabelText('Messenger messaging type'), 'UPDATE');
    await user.selectOptions(screen.getByLabelText('Message type'), 'template');
    expect(screen.queryByLabelText('Messenger messaging type')).toBeNull();
    expect(screen.queryByLabelText('Message tag')).toBeNull();
    await user.type(screen.getByLabelText('Template name'), 'order_confirmation');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(true));
    const body = calls.find((c) => c.method === 'POST' && c.path === '/workflows')!.body as WorkflowDraft;
    expect((body.steps[0]!.config as { messenger?: unknown }).messenger).toBeUndefined();
    expect(body.steps[0]!.config).toMatchObject({ kind: 'template', template: { name: 'order_confirmation' } });
    // Back to text: the field is there again.
    await user.selectOptions(screen.getByLabelText('Message type'), 'text');
    expect(screen.getByLabelText('Messenger messaging type')).toBeTruthy();
  });
});
