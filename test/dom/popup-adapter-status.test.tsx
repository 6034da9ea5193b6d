import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AdapterStatus } from '../../components/popup/AdapterStatus';
import type { AdapterHealth } from '../../lib/extension/adapters/placement';
import { serveMessages } from '../../lib/extension/messaging';

// The popup asks the background what the page adapter in the active tab reported.
function background(byTab: Record<number, AdapterHealth>, activeTabId: number) {
  Object.assign(fakeBrowser.tabs, { query: vi.fn(async () => [{ id: activeTabId }]) });
  serveMessages({ getAdapterHealth: ({ tabId }) => byTab[tabId] ?? null });
}

describe('popup: page adapter status', () => {
  it('alerts when the active tab\'s adapter needs updating', async () => {
    background({ 4: { adapter: 'chatwoot', status: 'needs-update', message: 'The Chatwoot adapter needs updating: a conversation is open but its reply box was not found.' } }, 4);
    render(<AdapterStatus />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/Chatwoot adapter needs updating/);
  });

  it('says quietly that all is well, and nothing on a tab without an inbox', async () => {
    background({ 4: { adapter: 'chatwoot', status: 'ok', message: 'Chatwoot: the launcher is in the composer\'s button row.' } }, 4);
    const { unmount } = render(<AdapterStatus />);
    expect((await screen.findByTestId('adapter-health')).textContent).toMatch(/Chatwoot: the launcher is in/);
    expect(screen.queryByRole('alert')).toBeNull();
    unmount();

    background({}, 9);
    render(<AdapterStatus />);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('adapter-health')).toBeNull();
  });
});
