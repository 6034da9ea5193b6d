import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Run } from '../../lib/contracts/runs';
import { connected, fakeBackground, makeShortcut, push, renderLauncher } from './launcher-fixtures';

const shortcuts = [makeShortcut('s1', 'Mark VIP')];
const button = () => screen.getByRole('button', { name: 'Shortcuts' });
/** Unusable but still focusable and announced: aria-disabled, never the native attribute. */
const isDisabled = () => button().getAttribute('aria-disabled') === 'true';

/** The tooltip as people get it: the title, and the text aria-describedby points at. */
function tooltip() {
  const id = button().getAttribute('aria-describedby');
  return { title: button().title, described: id ? document.getElementById(id)?.textContent : null };
}

describe('launcher state', () => {
  it.each([
    ['the agent is restricted (server reason)', { allowed: false, reason: 'Shortcuts are turned off for your account', shortcuts }, 'conv_1', 'Shortcuts are turned off for your account'],
    ['the agent is restricted (no reason)', { allowed: false, shortcuts }, 'conv_1', 'A supervisor has turned shortcuts off for you.'],
    ['no shortcut is published', { shortcuts: [] }, 'conv_1', 'No shortcuts are published yet.'],
    ['no conversation is open', { shortcuts }, null, 'Open a conversation to use shortcuts.'],
  ] as const)('is disabled with a tooltip when %s, and says why when pressed', async (_why, list, conversationId, reason) => {
    fakeBackground({ ...list, shortcuts: [...list.shortcuts] });
    const user = userEvent.setup();
    renderLauncher(conversationId);
    await waitFor(() => expect(tooltip().title).toBe(reason));
    expect(isDisabled()).toBe(true);
    expect(button()).toHaveProperty('disabled', false);
    expect(tooltip().described).toBe(reason);
    // In the Tab order; Enter shows the reason in the panel and the live region reads it out.
    await user.tab();
    expect(document.activeElement).toBe(button());
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('launcher-reason').textContent).toBe(reason);
    await waitFor(() => expect(screen.getByTestId('launcher-announcement').textContent).toBe(reason));
    expect(screen.getByTestId('launcher-announcement').getAttribute('aria-live')).toBe('polite');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('explains itself on Space, on a click and on the keyboard command; Escape closes the explanation', async () => {
    fakeBackground({ allowed: false, reason: 'Turned off by Sam', shortcuts });
    const user = userEvent.setup();
    renderLauncher();
    await waitFor(() => expect(isDisabled()).toBe(true));
    button().focus();
    await user.keyboard(' ');
    expect(screen.getByTestId('launcher-reason').textContent).toBe('Turned off by Sam');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('launcher-reason')).toBeNull();
    await user.click(button());
    expect(screen.getByTestId('launcher-reason').textContent).toBe('Turned off by Sam');
    await user.click(button());
    expect(screen.queryByTestId('launcher-reason')).toBeNull();
    await push({ type: 'open-launcher' });
    await waitFor(() => expect(screen.getByTestId('launcher-reason').textContent).toBe('Turned off by Sam'));
    await waitFor(() => expect(screen.getByTestId('launcher-announcement').textContent).toBe('Turned off by Sam'));
  });

  it('is disabled when the extension is not connected', async () => {
    const bg = fakeBackground({ shortcuts });
    bg.connection = { state: 'disconnected' };
    renderLauncher();
    await waitFor(() => expect(tooltip().described).toMatch(/^Not connected/));
    expect(isDisabled()).toBe(true);
  });

  it('follows a restriction change pushed by the background, without a reload', async () => {
    const bg = fakeBackground({ shortcuts });
    renderLauncher();
    await waitFor(() => expect(isDisabled()).toBe(false));
    expect(button().hasAttribute('aria-describedby')).toBe(false);
    bg.list = { ...bg.list, version: 'v2', allowed: false, reason: 'Turned off by Sam' };
    await push({ type: 'shortcuts.changed' });
    await waitFor(() => expect(isDisabled()).toBe(true));
    expect(tooltip().described).toBe('Turned off by Sam');
    bg.list = { ...bg.list, version: 'v3', allowed: true, reason: undefined };
    await push({ type: 'shortcuts.changed' });
    await waitFor(() => expect(isDisabled()).toBe(false));
  });

  it('still opens from the cache while the server is unreachable, saying so', async () => {
    const bg = fakeBackground({ shortcuts });
    bg.connection = { state: 'unreachable', serverUrl: 'http://127.0.0.1:8787', me: null, error: 'fetch failed' };
    bg.list = { ...bg.list, stale: true };
    const user = userEvent.setup();
    renderLauncher();
    await waitFor(() => expect(isDisabled()).toBe(false));
    await user.click(button());
    expect(screen.getAllByRole('option')).toHaveLength(1);
    expect(screen.getByText(/Offline: showing the shortcuts saved/)).toBeTruthy();
  });

  it('says once what happened and what to do when a launch could not be sent', async () => {
    const bg = fakeBackground({ shortcuts });
    bg.launch.mockResolvedValueOnce({ ok: false, kind: 'unreachable', message: 'Could not reach the companion server at http://127.0.0.1:8787; the shortcut was not started.' });
    const user = userEvent.setup();
    renderLauncher();
    await waitFor(() => expect(isDisabled()).toBe(false));
    await user.click(button());
    await user.keyboard('{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not sent: the companion server cannot be reached, so nothing was started.');
    expect(alert.textContent).toContain('Check your connection and try again');
    expect(alert.textContent?.match(/reach/g)).toHaveLength(1);
  });

  it('takes the "not sent" toast away when the server is back', async () => {
    const bg = fakeBackground({ shortcuts });
    bg.launch.mockResolvedValueOnce({ ok: false, kind: 'unreachable', message: 'Could not reach the companion server' });
    const user = userEvent.setup();
    renderLauncher();
    await waitFor(() => expect(isDisabled()).toBe(false));
    bg.connection = { state: 'unreachable', serverUrl: 'http://127.0.0.1:8787', me: null, error: 'fetch failed' };
    await user.click(button());
    await user.keyboard('{Enter}');
    await screen.findByRole('alert');
    await push({ type: 'connection.changed' });
    await new Promise((r) => setTimeout(r, 100));
    expect(screen.getByRole('alert')).toBeTruthy(); // still down: it stays
    bg.connection = connected;
    await push({ type: 'connection.changed' });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('replaces the "not sent" toast with the run when the agent retries successfully', async () => {
    const bg = fakeBackground({ shortcuts });
    bg.launch.mockResolvedValueOnce({ ok: false, kind: 'error', message: 'The server answered 502' });
    const user = userEvent.setup();
    renderLauncher();
    await waitFor(() => expect(isDisabled()).toBe(false));
    await user.click(button());
    await user.keyboard('{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('Not sent: the server answered 502.');
    await user.click(button());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(document.querySelector('.ic-toast')?.textContent).toContain('Queued');
  });
});

describe('run toast', () => {
  const run = (status: Run['status'], failed?: string): Run => ({
    id: 'run_1', workflowId: 'wf_1', workflowVersion: 1, contactId: 'c1', conversationId: 'conv_1',
    triggerEvent: { id: 'e1', type: 'shortcut.launched' }, variables: {}, status, cursor: 0,
    stepLog: failed ? [{ stepId: 'http', type: 'http_request', status: 'failed', error: failed, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z' }] : [],
    wakeAt: null, attempts: 1, error: null, createdAt: '2026-01-01T00:00:00.000Z', endedAt: null,
  });

  async function launchOne() {
    const user = userEvent.setup();
    renderLauncher();
    await waitFor(() => expect(isDisabled()).toBe(false));
    await user.click(button());
    await user.keyboard('{Enter}');
    return waitFor(() => {
      const toast = document.querySelector<HTMLElement>('.ic-toast [role="status"]');
      expect(toast).toBeTruthy();
      return toast!;
    });
  }

  it('follows run.updated pushes up to the failing step\'s error', async () => {
    fakeBackground({ shortcuts });
    const toast = await launchOne();
    expect(toast.textContent).toContain('Mark VIP');
    await push({ type: 'run.updated', runId: 'run_1', status: 'running' });
    await waitFor(() => expect(toast.textContent).toContain('Running'));
    await push({ type: 'run.updated', runId: 'run_other', status: 'completed' });
    expect(toast.textContent).toContain('Running');
    await push({ type: 'run.updated', runId: 'run_1', status: 'failed', error: 'HTTP 500 from the CRM' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Failed: HTTP 500 from the CRM');
  });

  it('falls back to polling getRun every 2 s while the run is not finished', async () => {
    const bg = fakeBackground({ shortcuts });
    bg.run = run('running');
    const toast = await launchOne();
    await waitFor(() => expect(toast.textContent).toContain('Running'));
    // No push comes: the next poll (2 s later) picks the failure up.
    const changedAt = Date.now();
    bg.run = run('failed', 'Timed out after 10 s');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Failed: Timed out after 10 s'), { timeout: 3500 });
    expect(Date.now() - changedAt).toBeGreaterThan(1000);
  });

  it('says when and why a run that waits to try a step again will try it, and keeps that through pushes', async () => {
    const bg = fakeBackground({ shortcuts });
    const wakeAt = new Date(Date.now() + 60_000).toISOString();
    bg.run = {
      ...run('waiting'), wakeAt,
      stepLog: [{ stepId: 'note', type: 'add_comment', status: 'retrying', error: 'Chatwoot answered HTTP 429 to POST …/messages: Retry later', output: { retry: 1, of: 5, at: wakeAt }, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z' }],
    };
    const toast = await launchOne();
    const at = new Date(wakeAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const said = `Waiting to try again at ${at} (Chatwoot answered HTTP 429 to POST …/messages: Retry later)`;
    await waitFor(() => expect(toast.textContent).toContain(said));
    await push({ type: 'run.updated', runId: 'run_1', status: 'waiting' });
    expect(toast.textContent).toContain(said);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says a run that asked the contact a question waits for their reply, and until when', async () => {
    const bg = fakeBackground({ shortcuts });
    const wakeAt = new Date(Date.now() + 3_600_000).toISOString();
    bg.run = {
      ...run('waiting'), wakeAt,
      stepLog: [{ stepId: 'ask', type: 'ask_question', status: 'completed', output: { asked: 'msg_1', waitingUntil: wakeAt }, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z' }],
    };
    const toast = await launchOne();
    const until = new Date(wakeAt);
    const when = until.toDateString() === new Date().toDateString()
      ? until.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      : until.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    await waitFor(() => expect(toast.textContent).toContain(`Waiting for the customer’s answer until ${when}`));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
