import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConnectPanel } from '../../components/options/ConnectPanel';
import { serveMessages } from '../../lib/extension/messaging';
import type { ConnectionState } from '../../lib/extension/protocol';
import { renderWithProviders } from './options-harness';

// A new admin's first minute: the options page's sign-in, with the background's `connect` answered
// as it answers for a server that does not know the token (sync.ts: state `unauthorized`).

const description = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');

describe('options page: connect', () => {
  it('says an address without http:// needs it, and drops the last attempt’s answer when the form stops a new one', async () => {
    const user = userEvent.setup();
    const attempts: unknown[] = [];
    serveMessages({ connect: async (c) => { attempts.push(c); return { state: 'unauthorized', serverUrl: c.serverUrl, error: 'Unknown token' } satisfies ConnectionState; } });
    renderWithProviders(<ConnectPanel state={{ state: 'disconnected' }} />);
    await user.type(screen.getByLabelText('Token'), 'ict_wrong');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    const alert = await screen.findByRole('alert');
    // What was wrong, and where the right token is.
    expect(alert.textContent).toMatch(/^Unknown token\. Paste the admin token the server printed on its first start/);

    const url = screen.getByLabelText('Server URL');
    await user.clear(url);
    await user.type(url, '127.0.0.1:8787');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(description(url)).toContain('Start the address with http:// or https://');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByText(/Unknown token/)).toBeNull();
    expect(attempts).toHaveLength(1);
  });
});
