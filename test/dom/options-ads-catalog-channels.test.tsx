import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdsCatalogSettings } from '../../components/options/AdsCatalogSettings';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The catalog showed Meta's placement codes (`whatsapp_business_api`, `whatsapp_cloud_api`) in its
// table and in the new ad's Channel list: the admin reads the words, the server still gets the code.

const ad = (adId: string, channel: string, eligible = true) => ({
  adAccountId: 'act_1', adId, name: `Ad ${adId}`, channel, status: 'ACTIVE', objective: 'MESSAGES',
  optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP', eligible, reasons: eligible ? [] : ['Channel instagram is not eligible'],
});

describe('ads catalog channels', () => {
  it('names each channel in words in the table and the Channel list, and sends the code', async () => {
    const calls = serveApi({
      'GET /ads': ok({ ads: [ad('1', 'whatsapp_business_api'), ad('2', 'whatsapp_cloud_api'), ad('3', 'messenger'), ad('4', 'instagram', false)] }),
      'POST /ads': ({ body }) => ({ status: 201, body: { ...(body as object), eligible: true, reasons: [] } }),
    });
    const user = userEvent.setup();
    renderWithProviders(<AdsCatalogSettings />);
    const table = within(await screen.findByRole('table', { name: 'Ads' }));
    await waitFor(() => expect(table.getAllByRole('row')).toHaveLength(5));
    const channels = table.getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell')[2]?.textContent);
    expect(channels).toEqual(['WhatsApp Business Platform (API)', 'WhatsApp Cloud API', 'Facebook Messenger', 'Instagram']);

    const select = screen.getByRole('combobox', { name: 'Channel of the new ad' }) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['WhatsApp Business Platform (API)', 'WhatsApp Cloud API', 'Facebook Messenger', 'Instagram (not eligible)']);
    expect(select.selectedOptions[0]?.textContent).toBe('WhatsApp Cloud API');

    for (const [label, value] of [['Ad account ID', 'act_2'], ['Ad ID', '99'], ['Name', 'Spring sale']] as const) {
      await user.type(screen.getByRole('textbox', { name: `${label} of the new ad` }), value);
    }
    await user.selectOptions(select, 'Facebook Messenger');
    await user.click(screen.getByRole('button', { name: 'Add ad' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ adId: '99', channel: 'messenger' });
  });
});
