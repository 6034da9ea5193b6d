import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FormDrafts } from '../../components/launcher/drafts';
import { Launcher } from '../../components/launcher/Launcher';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import { fakeBackground, inProcessForms, makeShortcut, push } from './launcher-fixtures';

// What an agent typed in a shortcut's form is not lost when the form goes away: a supervisor's
// switch taking it away and giving it back, Escape, or a launch in another conversation.

const allFields = makeShortcut('s_all', 'All fields', {
  form: { fields: [
    { label: 'Order number', type: 'text', variable: 'order', required: true },
    { label: 'Note', type: 'text', variable: 'note', required: false },
    { label: 'Refund shipping', type: 'checkbox', variable: 'shipping', required: false },
  ] },
});
const vip = makeShortcut('s_vip', 'Mark VIP');
const switchedOff = 'A supervisor has turned shortcuts off for all agents';
const button = () => screen.getByRole('button', { name: 'Shortcuts' });
const field = (name: string) => screen.findByRole<HTMLInputElement>('textbox', { name });

function setup() {
  const bg = fakeBackground({ shortcuts: [allFields, vip] });
  const user = userEvent.setup();
  // The content script's store outlives the launcher (the inbox re-renders its composer).
  const drafts = new FormDrafts();
  const at = (conversationId: string) => (
    <Launcher api={messagingApi} forms={inProcessForms} conversationId={conversationId} returnFocus={() => undefined} drafts={drafts} />
  );
  const view = render(at('conv_1'));
  const openForm = async () => {
    await waitFor(() => expect(button().getAttribute('aria-disabled')).toBeNull());
    await user.click(button());
    await user.keyboard('all fields{Enter}');
    return field('Order number');
  };
  return { bg, user, view, at, openForm, drafts };
}

describe('half-filled shortcut forms', () => {
  it('come back as they were when a supervisor turns shortcuts off and on again', async () => {
    const { bg, user, openForm } = setup();
    await user.type(await openForm(), '#1042');
    await user.type(await field('Note'), 'arrived broken');
    await user.click(screen.getByRole('checkbox', { name: 'Refund shipping' }));

    bg.list = { ...bg.list, version: 'v2', allowed: false, reason: switchedOff };
    await push({ type: 'shortcuts.changed' });
    expect((await screen.findByTestId('launcher-reason')).textContent).toBe(switchedOff);
    expect(screen.queryByRole('textbox', { name: 'Order number' })).toBeNull();

    bg.list = { ...bg.list, version: 'v3', allowed: true, reason: undefined };
    await push({ type: 'shortcuts.changed' });
    expect((await field('Order number')).value).toBe('#1042');
    expect((await field('Note')).value).toBe('arrived broken');
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Refund shipping' }).checked).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Launch' }));
    await waitFor(() => expect(bg.launch).toHaveBeenCalledWith({ shortcutId: 's_all', conversationId: 'conv_1', values: { order: '#1042', note: 'arrived broken', shipping: true } }));
  });

  it('come back without taking the focus from where the agent went meanwhile', async () => {
    const { bg, user, openForm } = setup();
    const elsewhere = document.body.appendChild(Object.assign(document.createElement('textarea'), { ariaLabel: 'Reply' }));
    await user.type(await openForm(), '#1042');
    bg.list = { ...bg.list, version: 'v2', allowed: false, reason: switchedOff };
    await push({ type: 'shortcuts.changed' });
    await screen.findByTestId('launcher-reason');
    elsewhere.focus();

    bg.list = { ...bg.list, version: 'v3', allowed: true, reason: undefined };
    await push({ type: 'shortcuts.changed' });
    expect((await field('Order number')).value).toBe('#1042');
    expect(document.activeElement).toBe(elsewhere);
    elsewhere.remove();
  });

  it('are kept on Escape without asking: the menu marks the shortcut and picking it again restores them', async () => {
    const { user, openForm } = setup();
    await user.type(await openForm(), '#1042');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Order number' })).toBeNull();
    expect(document.activeElement).toBe(button());
    await waitFor(() => expect(screen.getByTestId('launcher-announcement').textContent).toBe('Draft of “All fields” kept: pick it again to go on.'));

    await user.click(button());
    const marked = screen.getAllByRole('option').filter((o) => o.querySelector('[data-testid="launcher-draft-mark"]'));
    expect(marked.map((o) => o.querySelector('.ic-name')?.textContent)).toEqual(['All fields']);
    await user.keyboard('{Enter}');
    expect((await field('Order number')).value).toBe('#1042');
  });

  it('belong to their conversation, and go once launched', async () => {
    const { bg, user, view, at, openForm } = setup();
    await user.type(await openForm(), '#1042');
    await user.keyboard('{Escape}');

    view.rerender(at('conv_2'));
    expect((await openForm()).value).toBe('');
    await user.keyboard('{Escape}');

    view.rerender(at('conv_1'));
    const order = await openForm();
    expect(order.value).toBe('#1042');
    await user.click(screen.getByRole('button', { name: 'Launch' }));
    await waitFor(() => expect(bg.launch).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Order number' })).toBeNull());

    expect((await openForm()).value).toBe('');
    expect(screen.queryByTestId('launcher-draft-mark')).toBeNull();
  });

  it('keep nothing for a form left empty', async () => {
    const { user, openForm } = setup();
    await user.type(await openForm(), 'x');
    await user.keyboard('{Backspace}{Escape}');
    await user.click(button());
    expect(screen.queryByTestId('launcher-draft-mark')).toBeNull();
  });
});
