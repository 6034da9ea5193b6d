import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBackground, makeShortcut, push, renderLauncher } from './launcher-fixtures';

const shortcuts = [
  makeShortcut('s1', 'Refund order', { icon: '💸', description: 'Refund a paid order' }),
  makeShortcut('s2', 'Mark VIP', { icon: '⭐', description: 'Tag the contact as VIP' }),
  makeShortcut('s3', 'Escalate', { icon: '🚨', description: 'Hand over to tier 2' }),
];

async function openMenu() {
  const user = userEvent.setup();
  const view = renderLauncher();
  const button = screen.getByRole('button', { name: 'Shortcuts' });
  await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
  await user.click(button);
  return { user, ...view };
}

const optionNames = () => screen.getAllByRole('option').map((o) => o.querySelector('.ic-name')?.textContent);
const selected = () => screen.getAllByRole('option').find((o) => o.getAttribute('aria-selected') === 'true')?.querySelector('.ic-name')?.textContent;

describe('shortcut menu', () => {
  it('opens on click with icon, name and description of each shortcut, the filter focused', async () => {
    fakeBackground({ shortcuts });
    await openMenu();
    expect(optionNames()).toEqual(['Refund order', 'Mark VIP', 'Escalate']);
    const first = screen.getAllByRole('option')[0]!;
    expect(first.textContent).toContain('💸');
    expect(first.textContent).toContain('Refund a paid order');
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Filter shortcuts' }));
    expect(screen.getByRole('button', { name: 'Shortcuts' }).getAttribute('aria-expanded')).toBe('true');
  });

  it.each([
    ['vip', ['Mark VIP']],
    ['ORDER', ['Refund order']],
    ['tier', ['Escalate']],
    ['zzz', []],
  ])('filters by name and description: %j', async (query, expected) => {
    fakeBackground({ shortcuts });
    const { user } = await openMenu();
    await user.keyboard(query);
    expect(screen.queryAllByRole('option').map((o) => o.querySelector('.ic-name')?.textContent)).toEqual(expected);
    if (expected.length === 0) expect(screen.getByRole('status').textContent).toContain('No shortcut matches');
  });

  it('moves with ArrowDown/ArrowUp (wrapping) and launches the selected one with Enter', async () => {
    const bg = fakeBackground({ shortcuts });
    const { user, returnFocus } = await openMenu();
    expect(selected()).toBe('Refund order');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(selected()).toBe('Escalate');
    await user.keyboard('{ArrowDown}');
    expect(selected()).toBe('Refund order');
    await user.keyboard('{ArrowUp}');
    expect(selected()).toBe('Escalate');
    const combo = screen.getByRole('combobox');
    expect(combo.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[2]!.id);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(bg.launch).toHaveBeenCalledWith({ shortcutId: 's3', conversationId: 'conv_1', values: {} }));
    await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
    expect(returnFocus).toHaveBeenCalled();
    expect(await screen.findByRole('status')).toBeTruthy();
  });

  it('renders the first rows of a long list, and the arrows reach past them', async () => {
    const many = Array.from({ length: 50 }, (_, i) => makeShortcut(`m${i}`, `Macro ${i}`));
    fakeBackground({ shortcuts: many });
    const { user } = await openMenu();
    expect(screen.getAllByRole('option')).toHaveLength(20);
    expect(screen.getByText('30 more: scroll or type to filter.')).toBeTruthy();
    await user.keyboard('{ArrowUp}');
    expect(selected()).toBe('Macro 49');
    await user.keyboard('49');
    expect(optionNames()).toEqual(['Macro 49']);
  });

  it('Esc closes the menu and hands the focus back to the Shortcuts button (the menu button pattern)', async () => {
    fakeBackground({ shortcuts });
    const { user, returnFocus } = await openMenu();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Shortcuts' }));
    expect(returnFocus).not.toHaveBeenCalled();
  });

  it('opens from the keyboard command pushed by the background', async () => {
    fakeBackground({ shortcuts });
    renderLauncher();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Shortcuts' }).getAttribute('aria-disabled')).toBeNull());
    await push({ type: 'open-launcher' });
    expect(await screen.findByRole('listbox')).toBeTruthy();
  });

  it('updates the list on shortcuts.changed without a reload', async () => {
    const bg = fakeBackground({ shortcuts: shortcuts.slice(0, 1) });
    await openMenu();
    expect(optionNames()).toEqual(['Refund order']);
    bg.list = { ...bg.list, version: 'v2', shortcuts };
    await push({ type: 'shortcuts.changed' });
    await waitFor(() => expect(optionNames()).toHaveLength(3));
  });

  it('a shortcut with a form opens it; the launch waits for a valid submit', async () => {
    const bg = fakeBackground({
      shortcuts: [makeShortcut('s1', 'Refund order', { form: { fields: [{ label: 'Order number', type: 'text', variable: 'order', required: true }] } })],
    });
    const { user } = await openMenu();
    await user.keyboard('{Enter}');
    const order = await screen.findByRole('textbox', { name: 'Order number' });
    await user.click(screen.getByRole('button', { name: 'Launch' }));
    expect(await screen.findByText('This field is required')).toBeTruthy();
    expect(bg.launch).not.toHaveBeenCalled();
    await user.type(order, '#1042');
    await user.click(screen.getByRole('button', { name: 'Launch' }));
    await waitFor(() => expect(bg.launch).toHaveBeenCalledWith({ shortcutId: 's1', conversationId: 'conv_1', values: { order: '#1042' } }));
  });

  it('shows the server\'s 422 details on the form fields', async () => {
    const bg = fakeBackground({
      shortcuts: [makeShortcut('s1', 'Refund order', { form: { fields: [{ label: 'Order number', type: 'text', variable: 'order', required: true }] } })],
    });
    bg.launch.mockResolvedValueOnce({ ok: false, kind: 'invalid', message: 'Invalid form', details: [{ path: 'values.order', message: 'Unknown order' }] });
    const { user } = await openMenu();
    await user.keyboard('{Enter}');
    await user.type(await screen.findByRole('textbox', { name: 'Order number' }), 'x');
    await user.click(screen.getByRole('button', { name: 'Launch' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Order number' }).getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Unknown order')).toBeTruthy();
  });
});
