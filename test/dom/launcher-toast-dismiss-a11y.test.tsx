import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RunToast } from '../../components/toast/RunToast';
import { askOrderNumberRun, fakeBackground, makeShortcut, pushedRunStatus, renderLauncher } from './launcher-fixtures';

// The launcher's keyboard shortcut is exposed to assistive technology (aria-keyshortcuts), not
// only in a tooltip; the run toast's live region announces its text without "Dismiss" in it, the
// button still beside it and named.


describe('launcher and toast: what assistive technology is told', () => {
  it('the Shortcuts button says its keyboard shortcut', () => {
    fakeBackground({ shortcuts: [makeShortcut('s1', 'Ask order number')] });
    renderLauncher();
    expect(screen.getByRole('button', { name: 'Shortcuts' }).getAttribute('aria-keyshortcuts')).toBe('Alt+Shift+K');
  });

  it.each([
    ['running', null, 'status'],
    ['failed', 'HTTP 500 from the CRM', 'alert'],
  ])('a %s run (%s): its %s region holds the text, Dismiss sits outside it and still dismisses', async (status, error, role) => {
    const s = pushedRunStatus();
    const onDismiss = vi.fn();
    render(<RunToast subject={askOrderNumberRun} source={s} onDismiss={onDismiss} />);
    act(() => s.send({ type: 'run.updated', runId: 'run_1', status, error }));
    const region = await screen.findByRole(role);
    expect(region.textContent).toContain('Ask order number');
    expect(region.textContent).not.toContain('×');
    const dismiss = screen.getByRole('button', { name: 'Dismiss' });
    expect(region.contains(dismiss)).toBe(false);
    expect(dismiss.closest('.ic-toast')).toBe(region.closest('.ic-toast'));
    await userEvent.setup().click(dismiss);
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });
});
