import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBackground, makeShortcut, openShortcutForm, push, renderLauncher } from './launcher-fixtures';

// A shortcut an admin unpublishes while an agent has its form open (or picks it from a menu not
// yet updated): the launcher says it is gone, by name, and never advises trying again.

const lookup = makeShortcut('wf_01M94T7PYGRJ10Q6Y2JD36NM52', 'Order lookup', {
  form: { fields: [{ label: 'Order number', type: 'text', variable: 'order', required: true }] },
});
const vip = makeShortcut('wf_vip', 'Mark VIP');
const launchButton = () => screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement;
const refused = { ok: false as const, kind: 'unavailable' as const, message: '“Order lookup” is no longer available (unpublished by an admin)' };

describe('a shortcut that goes away while its form is open', () => {
  it('says so at once when the live list drops it, disables Launch and offers the way back', async () => {
    const { bg, user, field } = await openShortcutForm(lookup, 'Order number');
    await user.type(field, '#1042');
    expect(document.activeElement).toBe(field);
    bg.list = { ...bg.list, version: 'v2', shortcuts: [vip] };
    await push({ type: 'shortcuts.changed' });

    const notice = await screen.findByTestId('launcher-form-unavailable');
    expect(notice.textContent).toContain('“Order lookup” is no longer available (an admin unpublished or removed it).');
    expect(screen.getByRole('alert').textContent).toBe('“Order lookup” is no longer available (an admin unpublished or removed it).');
    expect(launchButton().matches(':disabled')).toBe(true);
    expect((screen.getByRole('textbox', { name: 'Order number' }) as HTMLInputElement).value).toBe('#1042');
    // The field the agent was in is disabled now: the focus goes to the way out, not to the page's body.
    const back = screen.getByRole('button', { name: 'Back to shortcuts' });
    expect(document.activeElement).toBe(back);
    await user.click(launchButton());
    expect(bg.launch).not.toHaveBeenCalled();

    await user.click(back);
    expect(screen.getAllByRole('option').map((o) => o.querySelector('.ic-name')?.textContent)).toEqual(['Mark VIP']);
  });

  it('keeps the form saying so when it was the only shortcut, instead of "No shortcuts are published yet"', async () => {
    const { bg } = await openShortcutForm(lookup, 'Order number');
    bg.list = { ...bg.list, version: 'v2', shortcuts: [] };
    await push({ type: 'shortcuts.changed' });
    await screen.findByTestId('launcher-form-unavailable');
    expect(screen.queryByTestId('launcher-reason')).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Back to shortcuts' }));
    expect(screen.getByTestId('launcher-reason').textContent).toBe('No shortcuts are published yet.');
  });

  it('a launch the server refuses as unavailable says the server\'s reason in the form, with no toast and no "try again"', async () => {
    const { bg, user, field, launch } = await openShortcutForm(lookup, 'Order number');
    bg.launch.mockResolvedValueOnce(refused);
    await user.type(field, '#1042');
    await launch();

    const notice = await screen.findByTestId('launcher-form-unavailable');
    expect(notice.textContent).toContain('“Order lookup” is no longer available (unpublished by an admin).');
    expect(launchButton().matches(':disabled')).toBe(true);
    expect(document.querySelector('.ic-toast')).toBeNull();
    expect(document.body.textContent).not.toMatch(/try again|wf_01M94T7PYGRJ10Q6Y2JD36NM52/i);
    // The cached list still lists it (the background revalidates): the refusal holds.
    await push({ type: 'shortcuts.changed' });
    await new Promise((r) => setTimeout(r, 50));
    expect(launchButton().matches(':disabled')).toBe(true);
  });

  it('comes back when an admin publishes it again (a newer list that lists it)', async () => {
    const { bg, user, field, launch } = await openShortcutForm(lookup, 'Order number');
    bg.launch.mockResolvedValueOnce(refused);
    await user.type(field, '#1042');
    await launch();
    await screen.findByTestId('launcher-form-unavailable');
    bg.list = { ...bg.list, version: 'v2', shortcuts: [] };
    await push({ type: 'shortcuts.changed' });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByTestId('launcher-form-unavailable').textContent).toContain('(unpublished by an admin)');
    bg.list = { ...bg.list, version: 'v3', shortcuts: [lookup] };
    await push({ type: 'shortcuts.changed' });
    await waitFor(() => expect(screen.queryByTestId('launcher-form-unavailable')).toBeNull());
    expect(launchButton().matches(':disabled')).toBe(false);
    await launch();
    await waitFor(() => expect(bg.launch).toHaveBeenLastCalledWith({ shortcutId: lookup.id, conversationId: 'conv_1', values: { order: '#1042' } }));
  });

  it('a shortcut without a form picked from a menu not yet updated gets a toast naming it, with no "try again"', async () => {
    const bg = fakeBackground({ shortcuts: [vip] });
    bg.launch.mockResolvedValueOnce({ ok: false, kind: 'unavailable', message: '“Mark VIP” is no longer available (unpublished by an admin)' });
    const user = userEvent.setup();
    renderLauncher();
    const button = screen.getByRole('button', { name: 'Shortcuts' });
    await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
    await user.click(button);
    await user.keyboard('{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not sent: “Mark VIP” is no longer available (unpublished by an admin).');
    expect(alert.textContent).toContain('It is off your shortcuts menu now; ask an admin if you still need it.');
    expect(alert.textContent).not.toMatch(/try again/i);
  });
});
