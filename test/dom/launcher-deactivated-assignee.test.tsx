import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBackground, makeShortcut, openShortcutForm, push, renderLauncher } from './launcher-fixtures';

// A shortcut whose workflow assigns to someone deactivated stays listed (agents know it exists),
// greyed, with the server's reason (GET /shortcuts `unavailable`), and cannot be picked: before, it
// looked like any other and each launch failed at its Assign step.

const REASON = 'Unavailable: it assigns to Hana Agent, who is deactivated; an admin must choose someone else in its workflow';
const escalate = makeShortcut('wf_esc', 'Escalate');
const vip = makeShortcut('wf_vip', 'Mark VIP');
const options = () => screen.getAllByRole('option');

async function openMenu() {
  const user = userEvent.setup();
  renderLauncher();
  const button = screen.getByRole('button', { name: 'Shortcuts' });
  await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
  await user.click(button);
  await screen.findByRole('listbox', { name: 'Shortcuts' });
  return user;
}

describe('a shortcut the server marks unavailable', () => {
  it('is greyed in the menu with the reason; neither a click nor Enter launches it; the others still do', async () => {
    const bg = fakeBackground({ shortcuts: [{ ...escalate, unavailable: REASON }, vip] });
    const user = await openMenu();
    const [esc, mark] = options();
    expect(esc!.getAttribute('aria-disabled')).toBe('true');
    expect(esc!.textContent).toContain(REASON);
    expect(mark!.getAttribute('aria-disabled')).toBeNull();
    await user.click(esc!);
    await user.keyboard('{Enter}'); // the first option is the active one
    expect(bg.launch).not.toHaveBeenCalled();
    expect(screen.getByRole('listbox', { name: 'Shortcuts' })).toBeTruthy();
    await user.click(mark!);
    await waitFor(() => expect(bg.launch).toHaveBeenCalledTimes(1));
    expect(bg.launch.mock.calls[0]![0]).toMatchObject({ shortcutId: 'wf_vip' });
  });

  it('an open form whose shortcut becomes unavailable says why and cannot be sent', async () => {
    const lookup = makeShortcut('wf_esc', 'Escalate', { form: { fields: [{ label: 'Why', type: 'text', variable: 'why', required: true }] } });
    const { bg, user, field } = await openShortcutForm(lookup, 'Why');
    await user.type(field, 'angry customer');
    bg.list = { ...bg.list, version: 'v2', shortcuts: [{ ...lookup, unavailable: REASON }] };
    await push({ type: 'shortcuts.changed' });
    const notice = await screen.findByTestId('launcher-form-unavailable');
    expect(notice.textContent).toContain(`${REASON}.`);
    expect((screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement).matches(':disabled')).toBe(true);
  });
});
