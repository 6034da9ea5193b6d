import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChannelsSettings } from '../../components/options/ChannelsSettings';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';

describe('settings: channels', () => {
  it('connects a WhatsApp number, shows Meta’s refusal on the token field, lists and disconnects', async () => {
    const user = userEvent.setup();
    const channels: unknown[] = [];
    let attempts = 0;
    const calls = serveApi({
      'GET /channels': () => ok({ channels }),
      'POST /channels': (c: ApiCall) => {
        attempts++;
        if (attempts === 1) {
          return { status: 422, body: { error: { code: 'channel_verification_failed', message: 'Meta refused these credentials. Meta error 190 (OAuthException): Invalid OAuth access token', details: [{ path: 'body.accessToken', message: 'Meta error 190 (OAuthException): Invalid OAuth access token' }] } } };
        }
        const b = c.body as { name: string; phoneNumberId: string };
        const created = { id: 'chn_1', kind: 'whatsapp', name: b.name, displayName: 'Acme (+1 555)', phoneNumberId: b.phoneNumberId, businessAccountId: '1', tokenLastFour: '••••WXYZ', status: 'active', lastError: null, createdAt: at };
        channels.push(created);
        return { status: 201, body: created };
      },
      'DELETE /channels/chn_1': () => { channels.pop(); return { status: 204, body: undefined }; },
    });
    renderWithProviders(<ChannelsSettings />);
    const panel = within(await screen.findByRole('region', { name: 'Channels' }));
    expect(await panel.findByText('No channel connected yet.')).toBeTruthy();

    await user.type(panel.getByLabelText('Name'), 'Support line');
    await user.type(panel.getByLabelText('Phone number ID'), '106540352242922');
    await user.type(panel.getByLabelText('WhatsApp Business Account ID'), '102290129340398');
    await user.type(panel.getByLabelText('Access token'), 'EAAGwrong00000');
    await user.click(panel.getByRole('button', { name: 'Connect' }));
    expect((await panel.findAllByText(/Invalid OAuth access token/)).length).toBeGreaterThan(0);
    expect(panel.getByLabelText('Access token').getAttribute('aria-invalid')).toBe('true');

    await user.clear(panel.getByLabelText('Access token'));
    await user.type(panel.getByLabelText('Access token'), 'EAAGgood1234WXYZ');
    await user.click(panel.getByRole('button', { name: 'Connect' }));
    expect(await panel.findByRole('cell', { name: '••••WXYZ' })).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({
      kind: 'whatsapp', name: 'Support line', phoneNumberId: '106540352242922', businessAccountId: '102290129340398', accessToken: 'EAAGgood1234WXYZ',
    });

    await user.selectOptions(panel.getByLabelText('Channel'), 'messenger');
    expect(panel.getByLabelText('Page access token')).toBeTruthy();
    expect(panel.queryByLabelText('Phone number ID')).toBeNull();

    // Disconnecting forgets the token and cuts the channel's conversations off: asked first, and
    // Cancel leaves it connected.
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await user.click(panel.getByRole('button', { name: 'Disconnect Support line' }));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm.mock.calls[0]?.[0]).toMatch(/^Disconnect Support line\? Its token is forgotten.*Replace token/);
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    expect(panel.getByRole('cell', { name: '••••WXYZ' })).toBeTruthy();

    await user.click(panel.getByRole('button', { name: 'Disconnect Support line' }));
    expect(await panel.findByText('No channel connected yet.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    confirm.mockRestore();
  });
});

describe('settings: a channel whose token stopped working', () => {
  it('shows why, and replaces the token in place: Meta’s refusal on the field, then the channel active again', async () => {
    const user = userEvent.setup();
    const problem = "Meta no longer accepts this channel's access token (Meta error 190 (OAuthException): Error validating access token: Session has expired). Paste a new one: Channels → Replace token.";
    const channel = { id: 'chn_1', kind: 'whatsapp', name: 'Support line', displayName: 'Acme (+1 555)', phoneNumberId: '106540352242922', businessAccountId: '1', tokenLastFour: '••••WXYZ', status: 'error', lastError: problem as string | null, createdAt: at };
    let attempts = 0;
    const calls = serveApi({
      'GET /channels': () => ok({ channels: [channel] }),
      'PATCH /channels/chn_1': () => {
        attempts++;
        if (attempts === 1) {
          return { status: 422, body: { error: { code: 'channel_verification_failed', message: 'Meta refused these credentials. Meta error 190 (OAuthException): Invalid OAuth access token', details: [{ path: 'body.accessToken', message: 'Meta error 190 (OAuthException): Invalid OAuth access token' }] } } };
        }
        Object.assign(channel, { status: 'active', lastError: null, tokenLastFour: '••••QRST' });
        return { status: 200, body: channel };
      },
    });
    renderWithProviders(<ChannelsSettings />);
    const panel = within(await screen.findByRole('region', { name: 'Channels' }));
    expect(await panel.findByText('Needs attention')).toBeTruthy();
    expect(panel.getByText(problem)).toBeTruthy();

    await user.click(panel.getByRole('button', { name: 'Replace the token of Support line' }));
    const form = within(panel.getByRole('form', { name: 'Replace the token of Support line' }));
    expect(form.getByRole('button', { name: 'Save token' })).toHaveProperty('disabled', true);
    await user.type(form.getByLabelText('New access token'), 'EAAGwrong00000');
    await user.click(form.getByRole('button', { name: 'Save token' }));
    await waitFor(() => expect(form.getByLabelText('New access token').getAttribute('aria-invalid')).toBe('true'));
    expect((await form.findAllByText(/Invalid OAuth access token/)).length).toBeGreaterThan(0);

    await user.clear(form.getByLabelText('New access token'));
    await user.type(form.getByLabelText('New access token'), 'EAAGnewToken9876QRST');
    await user.click(form.getByRole('button', { name: 'Save token' }));
    expect(await panel.findByRole('cell', { name: '••••QRST' })).toBeTruthy();
    expect(panel.getByText('Active')).toBeTruthy();
    expect(panel.queryByText(problem)).toBeNull();
    expect(panel.queryByRole('form', { name: 'Replace the token of Support line' })).toBeNull();
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ accessToken: 'EAAGwrong00000' }, { accessToken: 'EAAGnewToken9876QRST' }]);
  });
});

describe('settings: a WhatsApp channel connected with a wrong Business Account id', () => {
  it('corrects it in place: the current id to edit, Meta’s refusal on the field (once), then the new id listed; a Page has no such button', async () => {
    const user = userEvent.setup();
    const channel = { id: 'chn_1', kind: 'whatsapp', name: 'Support line', displayName: 'Acme (+1 555)', phoneNumberId: '106540352242922', businessAccountId: '111111111111', tokenLastFour: '••••WXYZ', status: 'active', lastError: null, createdAt: at };
    const page = { id: 'chn_2', kind: 'messenger', name: 'Store page', displayName: 'Acme Store', pageId: '682498302938465', tokenLastFour: '••••ABCD', status: 'active', lastError: null, createdAt: at };
    const notHeld = 'Phone number 106540352242922 is not in WhatsApp Business Account 102290129340399 (its numbers: +1 555-010-2030 (id 106540352242923)). Give the WhatsApp Business Account that holds this number.';
    const calls = serveApi({
      'GET /channels': () => ok({ channels: [channel, page] }),
      'PATCH /channels/chn_1': (c: ApiCall) => {
        const b = c.body as { businessAccountId: string };
        if (b.businessAccountId !== '102290129340398') return { status: 422, body: { error: { code: 'channel_verification_failed', message: notHeld, details: [{ path: 'body.businessAccountId', message: notHeld }] } } };
        Object.assign(channel, { businessAccountId: b.businessAccountId });
        return { status: 200, body: channel };
      },
    });
    renderWithProviders(<ChannelsSettings />);
    const panel = within(await screen.findByRole('region', { name: 'Channels' }));
    expect(await panel.findByText('in WhatsApp Business Account 111111111111', { exact: false })).toBeTruthy();
    expect(panel.queryByRole('button', { name: 'Change the WhatsApp Business Account of Store page' })).toBeNull();

    await user.click(panel.getByRole('button', { name: 'Change the WhatsApp Business Account of Support line' }));
    const form = within(panel.getByRole('form', { name: 'Change the WhatsApp Business Account of Support line' }));
    const input = form.getByLabelText('WhatsApp Business Account ID') as HTMLInputElement;
    expect(input.value).toBe('111111111111');
    await user.clear(input);
    await user.type(input, '102290129340399');
    await user.click(form.getByRole('button', { name: 'Save account ID' }));
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(panel.getAllByText(notHeld)).toHaveLength(1);
    expect(document.getElementById(input.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent).toBe(notHeld);

    await user.clear(input);
    await user.type(input, '102290129340398');
    await user.click(form.getByRole('button', { name: 'Save account ID' }));
    expect(await panel.findByText('in WhatsApp Business Account 102290129340398', { exact: false })).toBeTruthy();
    expect(panel.queryByRole('form', { name: 'Change the WhatsApp Business Account of Support line' })).toBeNull();
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ businessAccountId: '102290129340399' }, { businessAccountId: '102290129340398' }]);
  });
});

describe('settings: ad accounts', () => {
  it('links an account, syncs it on demand and lists workflows whose ad can no longer trigger', async () => {
    const { AdAccountsSettings } = await import('../../components/options/AdAccountsSettings');
    const user = userEvent.setup();
    const accounts: unknown[] = [];
    const account = { id: 'ads_1', adAccountId: 'act_1234', name: 'Acme Ads', tokenLastFour: '••••9999', lastSyncedAt: null, lastError: null };
    const calls = serveApi({
      'GET /ads/accounts': () => ok({ accounts }),
      'GET /ads/workflow-warnings': ok({ workflows: [{ workflowId: 'wf_1', name: 'Ad leads', ads: [{ adId: '1202', reasons: ['Status DELETED is not eligible: only ACTIVE or PAUSED ads can trigger a workflow'] }] }] }),
      'GET /ads': ok({ ads: [] }),
      'POST /ads/accounts': () => { accounts.push(account); return { status: 201, body: account }; },
      'POST /ads/accounts/ads_1/sync': ok({ account: { ...account, lastSyncedAt: at }, synced: 153, noLongerListed: 2 }),
    });
    renderWithProviders(<AdAccountsSettings />);
    const panel = within(await screen.findByRole('region', { name: 'Ad accounts' }));
    expect((await panel.findByRole('alert', { name: 'Workflows whose ad can no longer trigger' })).textContent).toMatch(/Ad leads: 1202 \(Status DELETED/);
    await user.type(panel.getByLabelText('Ad account ID'), 'act_1234');
    await user.type(panel.getByLabelText('Marketing API token'), 'EAAGadsToken9999');
    await user.click(panel.getByRole('button', { name: 'Link account' }));
    await user.click(await panel.findByRole('button', { name: 'Sync Acme Ads now' }));
    expect(await panel.findByText('153 ads read from act_1234; 2 no longer listed, marked DELETED.')).toBeTruthy();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toContain('POST /ads/accounts/ads_1/sync');

    // Unlinking forgets the token: asked first, and Cancel keeps the account linked.
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await user.click(panel.getByRole('button', { name: 'Unlink Acme Ads' }));
    expect(confirm.mock.calls[0]?.[0]).toMatch(/^Unlink Acme Ads\? Its token is forgotten/);
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    confirm.mockRestore();
  });
});

describe('settings: a channel form the server refuses field by field', () => {
  it('marks the fields and says to correct them, without the API’s "body.phoneNumberId:" words', async () => {
    const user = userEvent.setup();
    // What the real server answers for this form (server/error-handler.ts, schema refusal).
    const details = [
      { path: 'body.phoneNumberId', message: 'The phone number id is the number Meta shows for it (digits only)' },
      { path: 'body.accessToken', message: 'Paste the whole access token' },
    ];
    serveApi({
      'GET /channels': () => ok({ channels: [] }),
      'POST /channels': () => ({ status: 422, body: { error: { code: 'invalid_content', message: `The body is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details } } }),
    });
    renderWithProviders(<ChannelsSettings />);
    const panel = within(await screen.findByRole('region', { name: 'Channels' }));
    await user.type(panel.getByLabelText('Name'), 'Support line');
    await user.type(panel.getByLabelText('Phone number ID'), '+1 555 0100');
    await user.type(panel.getByLabelText('WhatsApp Business Account ID'), '102290129340398');
    await user.type(panel.getByLabelText('Access token'), 'EAAG');
    await user.click(panel.getByRole('button', { name: 'Connect' }));

    const alert = await panel.findByRole('alert');
    expect(alert.textContent).toBe('Correct the fields marked below.');
    expect(panel.getByLabelText('Phone number ID').getAttribute('aria-invalid')).toBe('true');
    expect(panel.getByText('Paste the whole access token')).toBeTruthy();
    expect(panel.queryByText(/body\./)).toBeNull();
  });
});
