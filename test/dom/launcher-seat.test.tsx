import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Launcher } from '../../components/launcher/Launcher';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import type { PageUser } from '../../lib/extension/adapters/types';
import type { ConnectionState } from '../../lib/extension/protocol';
import { connected, fakeBackground, inProcessForms, makeShortcut, push } from './launcher-fixtures';

// One identity per seat: the launcher acts as the extension's user, so it will not act in an
// inbox signed in as someone else (the extension is connected as Ada in these tests).

const refund = makeShortcut('s_refund', 'Refund order', { form: { fields: [{ label: 'Order number', type: 'text', variable: 'order', required: true }] } });
const shortcuts = [refund, makeShortcut('s_vip', 'Mark VIP')];
const button = () => screen.getByRole('button', { name: 'Shortcuts' });
const isDisabled = () => button().getAttribute('aria-disabled') === 'true';
const avaSaid = 'Connected as Ada, signed in here as Ava Agent — reconnect the extension as you from the Inbox Companion icon.';

function renderWith(here: () => PageUser | null) {
  const bg = fakeBackground({ shortcuts });
  const user = userEvent.setup();
  render(<Launcher api={messagingApi} forms={inProcessForms} conversationId="conv_1" returnFocus={() => undefined} signedInHere={here} />);
  return { bg, user };
}

const connectedAs = (id: string, name: string, email: string): ConnectionState => {
  if (connected.state !== 'connected') throw new Error('fixture');
  return { ...connected, me: { ...connected.me, user: { ...connected.me.user, id, name, email } } };
};

describe('the launcher in an inbox signed in as someone else', () => {
  it('says who is who, explains itself when pressed and launches nothing, until the extension is reconnected as that person', async () => {
    const { bg, user } = renderWith(() => ({ id: 'u_ava', name: 'Ava Agent' }));
    await waitFor(() => expect(button().title).toBe(avaSaid));
    expect(isDisabled()).toBe(true);
    await user.click(button());
    expect(screen.getByTestId('launcher-reason').textContent).toBe(avaSaid);
    expect(screen.queryByRole('listbox')).toBeNull();
    await push({ type: 'open-launcher' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(bg.launch).not.toHaveBeenCalled();

    bg.connection = connectedAs('u_ava', 'Ava Agent', 'ava@example.com');
    await push({ type: 'connection.changed' });
    await waitFor(() => expect(isDisabled()).toBe(false));
    // The panel said why; with the reason gone it closes.
    expect(screen.queryByTestId('launcher-reason')).toBeNull();
  });

  it.each([
    ['the same user id', { id: 'u1', name: 'Ada' }, null],
    ['the same email, in other case (Chatwoot)', { email: ' ADA@Example.com' }, null],
    ['another email (Chatwoot)', { email: 'sam@example.com' }, 'Connected as Ada, signed in here as sam@example.com — reconnect the extension as you from the Inbox Companion icon.'],
    ['another account with the same name', { id: 'u9', name: 'Ada' }, 'Connected as Ada (another account, ada@example.com), signed in here as Ada — reconnect the extension as you from the Inbox Companion icon.'],
    ['a page that does not say who is signed in', null, null],
  ] as const)('with %s: %s', async (_what, here, said) => {
    renderWith(() => here);
    await waitFor(() => expect(button().title).toBe(said ?? 'Shortcuts (Alt+Shift+K)'));
    expect(isDisabled()).toBe(said !== null);
  });

  it('checks again at the launch: a form sent after the inbox was signed in as someone else is not launched, and comes back once they match', async () => {
    let here: PageUser = { id: 'u1', name: 'Ada' };
    const bg = fakeBackground({ shortcuts });
    const user = userEvent.setup();
    render(<Launcher api={messagingApi} forms={inProcessForms} conversationId="conv_1" returnFocus={() => undefined} signedInHere={() => here} />);
    await waitFor(() => expect(isDisabled()).toBe(false));
    await user.click(button());
    await user.keyboard('refund{Enter}');
    await user.type(await screen.findByRole('textbox', { name: 'Order number' }), '#1042');

    here = { id: 'u_ava', name: 'Ava Agent' }; // signed out and in again in another tab of the inbox
    await user.click(screen.getByRole('button', { name: 'Launch' }));
    expect((await screen.findByTestId('launcher-reason')).textContent).toBe(avaSaid);
    expect(bg.launch).not.toHaveBeenCalled();

    bg.connection = connectedAs('u_ava', 'Ava Agent', 'ava@example.com');
    await push({ type: 'connection.changed' });
    expect((await screen.findByRole<HTMLInputElement>('textbox', { name: 'Order number' })).value).toBe('#1042');
  });
});
