import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { InboxOriginsSettings } from '../../components/options/InboxOriginsSettings';
import { INBOX_ORIGINS_KEY, INBOX_CONTENT_SCRIPT } from '../../components/options/inbox-origins';
import { adapterFor } from '../../lib/extension/adapters/registry';
import { chosenAdapter, readInboxOrigins } from '../../lib/extension/adapters/origins';
import { renderWithProviders } from './options-harness';

// WXT's fake browser has no permissions or scripting API: they are recorded here; the e2e
// (test/e2e/chatwoot-launcher.test.ts) adds an origin through the real ones in Chromium.
let registered: { id: string; matches: string[]; js: string[] }[];

beforeEach(() => {
  registered = [];
  Object.assign(fakeBrowser.permissions, { request: vi.fn(async () => true), remove: vi.fn(async () => true) });
  Object.assign(fakeBrowser.scripting, {
    getRegisteredContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => registered.filter((r) => ids.includes(r.id))),
    unregisterContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => { registered = registered.filter((r) => !ids.includes(r.id)); }),
    registerContentScripts: vi.fn(async (scripts: typeof registered) => { registered.push(...scripts); }),
  });
});

const stored = async () => readInboxOrigins((await fakeBrowser.storage.local.get(INBOX_ORIGINS_KEY))[INBOX_ORIGINS_KEY]);

describe('inbox origins', () => {
  it('adds a Chatwoot origin with its adapter, which the content script then uses there', async () => {
    const user = userEvent.setup();
    renderWithProviders(<InboxOriginsSettings />);
    const panel = within(await screen.findByRole('region', { name: 'Inbox origins' }));
    await user.type(panel.getByLabelText('Inbox address'), 'https://chat.example.com/app/accounts/1/dashboard');
    expect((panel.getByLabelText('Inbox type') as HTMLSelectElement).value).toBe('chatwoot');
    await user.click(panel.getByRole('button', { name: 'Add inbox' }));

    await waitFor(() => expect(panel.getByText('https://chat.example.com')).toBeTruthy());
    expect(panel.getByTestId('origin-adapter').textContent).toBe('Chatwoot');
    expect(registered).toEqual([expect.objectContaining({ matches: ['https://chat.example.com/*'], js: [INBOX_CONTENT_SCRIPT] })]);
    const origins = await stored();
    expect(origins).toEqual([{ origin: 'https://chat.example.com', adapter: 'chatwoot' }]);
    // What the content script does with it on that origin (entrypoints/inbox.content/index.tsx).
    const url = new URL('https://chat.example.com/some/other/page');
    expect(adapterFor(url, chosenAdapter(origins, url.origin)).kind).toBe('chatwoot');
  });

  it('adding an origin again changes its adapter; removing it asks first, then unregisters the script', async () => {
    await fakeBrowser.storage.local.set({ [INBOX_ORIGINS_KEY]: ['https://old.example.com'] });
    const user = userEvent.setup();
    renderWithProviders(<InboxOriginsSettings />);
    const panel = within(await screen.findByRole('region', { name: 'Inbox origins' }));
    // Stored before adapters existed: a built-in inbox.
    await waitFor(() => expect(panel.getByTestId('origin-adapter').textContent).toBe('Built-in inbox'));

    await user.type(panel.getByLabelText('Inbox address'), 'https://old.example.com');
    await user.selectOptions(panel.getByLabelText('Inbox type'), 'chatwoot');
    await user.click(panel.getByRole('button', { name: 'Add inbox' }));
    await waitFor(() => expect(panel.getByTestId('origin-adapter').textContent).toBe('Chatwoot'));
    expect(await stored()).toEqual([{ origin: 'https://old.example.com', adapter: 'chatwoot' }]);
    expect(registered).toHaveLength(1);

    // Cancel keeps the launcher there; the question says what stops working.
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await user.click(panel.getByRole('button', { name: 'Remove https://old.example.com' }));
    expect(confirm.mock.calls[0]?.[0]).toMatch(/^Remove https:\/\/old\.example\.com\? The launcher no longer appears in that inbox/);
    expect(panel.getByText('https://old.example.com')).toBeTruthy();
    expect(registered).toHaveLength(1);
    expect(await stored()).toHaveLength(1);

    await user.click(panel.getByRole('button', { name: 'Remove https://old.example.com' }));
    await waitFor(() => expect(panel.queryByText('https://old.example.com')).toBeNull());
    expect(confirm).toHaveBeenCalledTimes(2);
    confirm.mockRestore();
    expect(registered).toEqual([]);
    expect(await stored()).toEqual([]);
  });

  it('says what is wrong with an address that is not one', async () => {
    const user = userEvent.setup();
    renderWithProviders(<InboxOriginsSettings />);
    const panel = within(await screen.findByRole('region', { name: 'Inbox origins' }));
    await user.type(panel.getByLabelText('Inbox address'), 'chat.example.com');
    await user.click(panel.getByRole('button', { name: 'Add inbox' }));
    expect((await panel.findByRole('alert')).textContent).toMatch(/Not a web address/);
    expect(registered).toEqual([]);
  });
});
