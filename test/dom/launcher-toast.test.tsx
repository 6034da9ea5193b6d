import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Launcher } from '../../components/launcher/Launcher';
import { RunToast, type ToastSubject } from '../../components/toast/RunToast';
import type { RunStatusSource } from '../../components/toast/run-status';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import type { Push } from '../../lib/extension/protocol';
import { askOrderNumberRun, fakeBackground, inProcessForms, makeShortcut, push, pushedRunStatus } from './launcher-fixtures';

// What a run's toast says about the run after the launch: who it is about, where, why it stopped.

const shortcuts = [makeShortcut('s1', 'Ask order number')];
const stopped = 'Stopped by Ben Agent, who took over the conversation';

/** The launcher as the content script renders it, its conversation changed by `view.rerender(at(...))`. */
const at = (conversationId: string | null, conversationLabel: string | null = null) => (
  <Launcher api={messagingApi} forms={inProcessForms} conversationId={conversationId} conversationLabel={conversationLabel} returnFocus={() => undefined} />
);

async function launchIn(conversationId: string, label: string | null = null) {
  const bg = fakeBackground({ shortcuts });
  bg.launch.mockResolvedValue({ ok: true, runId: 'run_1', contactName: 'Maria Garcia' });
  const user = userEvent.setup();
  const view = render(at(conversationId, label));
  const button = screen.getByRole('button', { name: 'Shortcuts' });
  await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
  await user.click(button);
  await user.keyboard('{Enter}');
  const toast = await waitFor(() => {
    const el = document.querySelector<HTMLElement>('.ic-toast');
    expect(el).toBeTruthy();
    return el!;
  });
  return { bg, view, toast };
}

describe('run toast', () => {
  it('names the contact the run is about', async () => {
    const { toast } = await launchIn('conv_1');
    expect(toast.querySelector('.ic-toast-title')?.textContent).toBe('Ask order number · Maria Garcia');
  });

  it.each([
    ['the built-in inbox', 'cnv_1', null, 'cnv_2', 'About a conversation no longer on screen.'],
    ['Chatwoot (101 → 102)', 'chatwoot:1:101', '#101', 'chatwoot:1:102', 'About conversation #101, no longer on screen.'],
    ['a page with no conversation open', 'cnv_1', null, null, 'About a conversation no longer on screen.'],
  ])('in %s, says so once the agent has moved to another conversation, and stops saying it back there', async (_where, first, label, next, said) => {
    const { view, toast } = await launchIn(first, label);
    await push({ type: 'run.updated', runId: 'run_1', status: 'waiting' });
    expect(toast.textContent).not.toContain('no longer on screen');
    view.rerender(at(next, next ? '#102' : null));
    expect(document.querySelector('[data-testid="toast-elsewhere"]')?.textContent).toBe(said);
    expect(toast.textContent).toContain('Maria Garcia');
    view.rerender(at(first, label));
    expect(document.querySelector('[data-testid="toast-elsewhere"]')).toBeNull();
  });

  it.each([
    [stopped, `Cancelled: ${stopped}`],
    ['Cancelled by Ana', 'Cancelled by Ana'],
    ['Cancelled: the contact was deleted', 'Cancelled: the contact was deleted'],
    ['The workflow was deleted', 'Cancelled: The workflow was deleted'],
  ])('a cancelled run says why (%s), once', async (error, said) => {
    const { toast } = await launchIn('conv_1');
    await push({ type: 'run.updated', runId: 'run_1', status: 'cancelled', error });
    await waitFor(() => expect(toast.getAttribute('data-status')).toBe('cancelled'));
    expect(toast.textContent).toContain(said);
    expect(toast.querySelector('.ic-toast-body')?.getAttribute('role')).toBe('status');
  });
});

describe('run toast dismissal', () => {
  it.each([
    ['completed', null],
    ['cancelled', stopped],
  ])('a %s run goes by itself, not while the agent points at it', async (status, error) => {
    const s = pushedRunStatus();
    const onDismiss = vi.fn();
    render(<RunToast subject={askOrderNumberRun} source={s} onDismiss={onDismiss} dismissMs={{ completed: 100, cancelled: 150 }} />);
    act(() => s.send({ type: 'run.updated', runId: 'run_1', status, error }));
    const toast = document.querySelector('.ic-toast')!;
    fireEvent.mouseEnter(toast);
    await new Promise((r) => setTimeout(r, 250));
    expect(onDismiss).not.toHaveBeenCalled();
    fireEvent.mouseLeave(toast);
    await waitFor(() => expect(onDismiss).toHaveBeenCalledTimes(1));
  });

  it('a failed run stays until dismissed; by default a cancel stays longer than "Done"', async () => {
    const { DISMISS_MS } = await import('../../components/toast/RunToast');
    expect(DISMISS_MS.cancelled).toBeGreaterThan(DISMISS_MS.completed!);
    expect(DISMISS_MS.failed).toBeUndefined();
    const s = pushedRunStatus();
    const onDismiss = vi.fn();
    render(<RunToast subject={askOrderNumberRun} source={s} onDismiss={onDismiss} dismissMs={{ completed: 50, cancelled: 50 }} />);
    act(() => s.send({ type: 'run.updated', runId: 'run_1', status: 'failed', error: 'HTTP 500 from the CRM' }));
    await new Promise((r) => setTimeout(r, 150));
    expect(onDismiss).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('Failed: HTTP 500 from the CRM');
  });
});

describe('run toast of a queued run', () => {
  it('says which earlier run of the contact it waits behind, and keeps saying it across pushes', async () => {
    const listeners = new Set<(p: Push) => void>();
    const run = {
      id: 'run_2', workflowId: 'wf_1', workflowVersion: 1, contactId: 'cnt_1', conversationId: 'conv_1', status: 'queued',
      currentStepId: null, stepLog: [], error: null, wakeAt: null, createdAt: '2026-12-06T10:00:00.000Z', updatedAt: '2026-12-06T10:00:00.000Z',
      waitingBehind: { runId: 'run_1', status: 'waiting', reason: 'for the contact\'s reply to step "ask"' },
    };
    const source: RunStatusSource = {
      getRun: async () => run as never,
      onPush: (l) => { listeners.add(l); return () => listeners.delete(l); },
    };
    const subject: ToastSubject = { kind: 'run', runId: 'run_2', shortcutName: 'Ask order number', conversationId: 'conv_1' };
    render(<RunToast subject={subject} source={source} onDismiss={() => undefined} />);
    const said = 'Queued: waiting behind run run_1 of the same contact (it waits for the contact\'s reply to step "ask")';
    await waitFor(() => expect(document.querySelector('.ic-toast')?.textContent).toContain(said));
    act(() => listeners.forEach((l) => l({ type: 'run.updated', runId: 'run_2', status: 'queued' })));
    expect(document.querySelector('.ic-toast')?.textContent).toContain(said);
  });
});
