import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { adEligibility, type Ad } from '../../lib/contracts/ads';
import { ok, renderWithProviders, serveApi } from './options-harness';

// Each ad in the Click-to-Chat picker says where its leads write: a WhatsApp template step cannot
// reach the leads of a Click-to-Messenger ad, so the admin must see which ads are which.
const ad = (over: Partial<Ad>): Ad => ({
  adAccountId: 'act_1', adId: 'ad_x', name: 'Ad', channel: 'whatsapp_cloud_api', status: 'ACTIVE',
  objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP', ...over,
});
const catalog = [
  ad({ adId: 'ad_wa', name: 'Summer sale WA' }),
  ad({ adId: 'ad_api', name: 'Summer sale API', channel: 'whatsapp_business_api' }),
  ad({ adId: 'ad_fb', name: 'Summer sale FB', channel: 'messenger', destinationType: 'MESSENGER' }),
].map((a) => ({ ...a, ...adEligibility(a) }));

afterEach(() => sessionStorage.clear());

describe('Click-to-Chat ad picker channels', () => {
  it('names each ad’s channel beside it', async () => {
    serveApi({ 'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /ads': ok({ ads: catalog }), 'GET /users': ok({ users: [] }), 'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }) });
    const initial: WorkflowDraft = { name: 'Leads', trigger: { type: 'click_to_chat_ads', adAccountId: '', adIds: [] }, oncePerContact: false, steps: [] };
    renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
    const account = screen.getByLabelText('Ad account');
    await waitFor(() => expect(within(account).getByRole('option', { name: 'act_1' })).toBeTruthy());
    await userEvent.setup().selectOptions(account, 'act_1');
    const ads = within(screen.getByRole('group', { name: 'Ads' }));
    expect(ads.getAllByRole('checkbox').map((c) => c.closest('label')?.textContent)).toEqual([
      'Summer sale WA (WhatsApp Cloud API · ad_wa · ACTIVE)',
      'Summer sale API (WhatsApp Business Platform (API) · ad_api · ACTIVE)',
      'Summer sale FB (Facebook Messenger · ad_fb · ACTIVE)',
    ]);
  });
});
