import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { expect, vi } from 'vitest';
import { mountShortcutForm } from '../../components/forms/mount';
import { Launcher } from '../../components/launcher/Launcher';
import type { FormLoader } from '../../components/launcher/types';
import type { ToastSubject } from '../../components/toast/RunToast';
import type { RunStatusSource } from '../../components/toast/run-status';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import type { ShortcutList, ShortcutSummary } from '../../lib/contracts/shortcuts';
import type { Run } from '../../lib/contracts/runs';
import { serveMessages } from '../../lib/extension/messaging';
import type { ConnectionState, LaunchOutcome, Push } from '../../lib/extension/protocol';

export const makeShortcut = (id: string, name: string, extra: Partial<ShortcutSummary> = {}): ShortcutSummary =>
  ({ id, name, description: `${name} for the customer`, icon: '⚡', form: { fields: [] }, ...extra });

export const connected: ConnectionState = {
  state: 'connected',
  serverUrl: 'http://127.0.0.1:8787',
  me: {
    user: { id: 'u1', name: 'Ada', email: 'ada@example.com', role: 'agent', shortcutsEnabled: true, createdAt: '2026-01-01T00:00:00.000Z' },
    permissions: { launchShortcuts: true, configure: false, superviseAgents: false },
  },
} as ConnectionState;

/** A fake background answering the real typed messages through WXT's fake browser. */
export function fakeBackground(initial: Partial<ShortcutList> = {}) {
  const bg = {
    connection: connected,
    list: { allowed: true, version: 'v1', shortcuts: [], ...initial, stale: false } as ShortcutList & { stale: boolean },
    launch: vi.fn(async (_req: unknown): Promise<LaunchOutcome> => ({ ok: true, runId: 'run_1' })),
    run: null as Run | null,
  };
  serveMessages({
    getConnection: () => bg.connection,
    listShortcuts: () => bg.list,
    launchShortcut: (req) => bg.launch(req),
    getRun: () => bg.run,
  });
  return bg;
}

export async function push(p: Push) {
  await fakeBrowser.runtime.sendMessage({ ic: 'push', push: p });
}

export const inProcessForms: FormLoader = {
  current: () => ({ mountShortcutForm }),
  load: async () => ({ mountShortcutForm }),
};

export function renderLauncher(conversationId: string | null = 'conv_1') {
  const returnFocus = vi.fn();
  const view = render(<Launcher api={messagingApi} forms={inProcessForms} conversationId={conversationId} returnFocus={returnFocus} />);
  return { ...view, returnFocus };
}

/** Opens the form of `shortcut`, the only one listed, as an agent does (Shortcuts, then Enter); `fieldLabel` names its one field. */
export async function openShortcutForm(shortcut: ShortcutSummary, fieldLabel: string) {
  const bg = fakeBackground({ shortcuts: [shortcut] });
  const user = userEvent.setup();
  renderLauncher();
  const button = screen.getByRole('button', { name: 'Shortcuts' });
  await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
  await user.click(button);
  await user.keyboard('{Enter}');
  const field = await screen.findByRole('textbox', { name: fieldLabel });
  const launch = () => user.click(screen.getByRole('button', { name: 'Launch' }));
  return { bg, user, field, launch };
}

/** The message a field's aria-describedby points at. */
export function describedError(el: HTMLElement): string | null {
  const id = el.getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent ?? null : null;
}

/** A run's status as a toast hears it: pushed by the test (`send`), nothing known of it before. */
export function pushedRunStatus(): RunStatusSource & { send(p: Push): void } {
  const listeners = new Set<(p: Push) => void>();
  return {
    getRun: async () => null,
    onPush: (l) => { listeners.add(l); return () => listeners.delete(l); },
    send: (p) => listeners.forEach((l) => l(p)),
  };
}

/** The toast of a launch of "Ask order number" (run_1, on conv_1). */
export const askOrderNumberRun: ToastSubject = { kind: 'run', runId: 'run_1', shortcutName: 'Ask order number', conversationId: 'conv_1' };
