import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Launcher } from '../../components/launcher/Launcher';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import { conversationKey, resolvingApi } from '../../entrypoints/inbox.content/resolve';
import { chatwootAdapter } from '../../lib/extension/adapters/chatwoot';
import { healthOf, watchPlacement, type Placement } from '../../lib/extension/adapters/placement';
import type { ConversationRef } from '../../lib/extension/adapters/types';
import { serveMessages } from '../../lib/extension/messaging';
import type { LaunchOutcome, OutsideConversation, ResolveOutcome } from '../../lib/extension/protocol';
import { conversationViewHtml, type ButtonRow, type EditorKind } from '../fixtures/chatwoot-dashboard';
import { connected, inProcessForms, makeShortcut } from './launcher-fixtures';

// The Chatwoot page adapter against fixtures of Chatwoot's reply box (test/fixtures/chatwoot-dashboard.ts).

afterEach(() => {
  document.body.innerHTML = '';
  window.history.replaceState(null, '', '/');
});

function page(html: string) {
  const doc = document.implementation.createHTMLDocument('Chatwoot');
  doc.body.innerHTML = html;
  return doc;
}

describe('Chatwoot reply box', () => {
  it.each<[string, EditorKind, boolean, ButtonRow, string]>([
    ['rich editor, reply', 'prosemirror', false, '2025', 'DIV'],
    ['textarea editor, reply', 'textarea', false, '2025', 'TEXTAREA'],
    ['note mode (always the rich editor)', 'textarea', true, '2025', 'DIV'],
    ['pre-2025 bottom-box row', 'textarea', false, 'pre-2025', 'TEXTAREA'],
    ['pre-2025 row in note mode', 'prosemirror', true, 'pre-2025', 'DIV'],
  ])('%s: the launcher goes into the left button group, focus back to the editor', (_what, editor, note, row, focusTag) => {
    const doc = page(conversationViewHtml(42, { editor, note, row }));
    const anchor = chatwootAdapter.toolbarAnchor(doc);
    expect(anchor?.classList.contains('left-wrap')).toBe(true);
    expect(anchor?.closest('.reply-box')?.classList.contains('is-private')).toBe(note);
    const target = chatwootAdapter.focusTarget(doc);
    expect(target?.tagName).toBe(focusTag);
    if (focusTag === 'DIV') expect(target?.classList.contains('ProseMirror')).toBe(true);
    else expect(target?.classList.contains('input')).toBe(true);
  });

  it('finds no anchor when the button row has markup it does not know', () => {
    const doc = page(conversationViewHtml(42, { row: 'missing' }));
    expect(chatwootAdapter.toolbarAnchor(doc)).toBeNull();
    // The editor is still found, so focus still goes back.
    expect(chatwootAdapter.focusTarget(doc)?.classList.contains('ProseMirror')).toBe(true);
  });
});

describe('following Chatwoot', () => {
  const placements: Placement[] = [];
  const follow = (graceMs = 30) => {
    placements.length = 0;
    const controller = new AbortController();
    watchPlacement(chatwootAdapter, window, (p) => placements.push(p), { signal: controller.signal, graceMs, pollMs: 10 });
    return controller;
  };
  const last = () => placements.at(-1)!;

  it('follows route changes made with the history API, and stops on abort', async () => {
    window.history.pushState(null, '', '/app/accounts/1/conversations/42');
    document.body.innerHTML = conversationViewHtml(42);
    const controller = follow();
    expect(last()).toMatchObject({ mode: 'inline', ref: { accountId: '1', conversationId: '42' } });
    expect(healthOf(chatwootAdapter, last()).status).toBe('ok');

    // Vue keeps the reply box when switching conversations: only the URL says which one is open.
    window.history.pushState(null, '', '/app/accounts/1/inbox/3/conversations/43');
    await waitFor(() => expect(last().ref).toEqual({ accountId: '1', conversationId: '43' }));
    expect(last().mode).toBe('inline');

    window.history.pushState(null, '', '/app/accounts/1/contacts/7');
    document.body.innerHTML = '<section class="contacts-page"></section>';
    await waitFor(() => expect(last()).toEqual({ mode: 'hidden', ref: null }));
    expect(healthOf(chatwootAdapter, last()).status).toBe('no-conversation');

    controller.abort();
    const count = placements.length;
    window.history.pushState(null, '', '/app/accounts/1/conversations/44');
    document.body.innerHTML = conversationViewHtml(44);
    await new Promise((r) => setTimeout(r, 50));
    expect(placements).toHaveLength(count);
  });

  it('waits for a reply box rendered late instead of floating at once', async () => {
    window.history.pushState(null, '', '/app/accounts/1/conversations/42');
    const controller = follow(200);
    expect(last()).toMatchObject({ mode: 'hidden', ref: { conversationId: '42' } });
    document.body.innerHTML = conversationViewHtml(42);
    await waitFor(() => expect(last().mode).toBe('inline'));
    await new Promise((r) => setTimeout(r, 250));
    expect(placements.map((p) => p.mode)).not.toContain('floating');
    controller.abort();
  });

  it('floats the launcher and says the adapter needs updating when the anchors are gone', async () => {
    window.history.pushState(null, '', '/app/accounts/1/conversations/42');
    document.body.innerHTML = conversationViewHtml(42, { row: 'missing' });
    const controller = follow();
    await waitFor(() => expect(last().mode).toBe('floating'));
    const health = healthOf(chatwootAdapter, last());
    expect(health).toMatchObject({ adapter: 'chatwoot', status: 'needs-update' });
    expect(health.message).toMatch(/Chatwoot adapter needs updating/);
    controller.abort();
  });
});

describe('launching from a Chatwoot conversation', () => {
  const refund = makeShortcut('s_refund', 'Refund order');
  function background(resolve: (req: OutsideConversation) => ResolveOutcome) {
    const calls = { resolve: vi.fn(resolve), launch: vi.fn(async (_req: unknown): Promise<LaunchOutcome> => ({ ok: true, runId: 'run_1' })) };
    fakeBrowser.runtime.onMessage.removeAllListeners();
    serveMessages({
      getConnection: () => connected,
      listShortcuts: () => ({ allowed: true, version: 'v1', shortcuts: [refund], stale: false }),
      launchShortcut: (req) => calls.launch(req),
      resolveConversation: (req) => calls.resolve(req),
      getRun: () => null,
    });
    return calls;
  }

  function mountInReplyBox(editor: EditorKind) {
    document.body.innerHTML = conversationViewHtml(42, { editor });
    const ref: ConversationRef = { accountId: '1', conversationId: '42' };
    const refs = new Map([[conversationKey(ref), ref]]);
    const api = resolvingApi(messagingApi, 'https://chat.example.com', refs);
    const anchor = chatwootAdapter.toolbarAnchor(document)!;
    const host = anchor.appendChild(document.createElement('div'));
    render(<Launcher api={api} forms={inProcessForms} conversationId={conversationKey(ref)} returnFocus={() => chatwootAdapter.focusTarget(document)?.focus()} />, { container: host });
  }

  async function pickRefund() {
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Shortcuts' });
    await waitFor(() => expect(button).toHaveProperty('disabled', false));
    await user.click(button);
    await user.keyboard('refund{Enter}');
    return user;
  }

  it('maps the conversation through the server, then launches on the companion conversation', async () => {
    const calls = background(() => ({ ok: true, conversationId: 'conv_companion_7' }));
    mountInReplyBox('textarea');
    await pickRefund();
    await waitFor(() => expect(calls.launch).toHaveBeenCalledTimes(1));
    expect(calls.resolve).toHaveBeenCalledWith({ inbox: 'chatwoot', origin: 'https://chat.example.com', accountId: '1', conversationId: '42', fresh: true });
    expect(calls.launch.mock.calls[0]![0]).toMatchObject({ shortcutId: 's_refund', conversationId: 'conv_companion_7' });
    // The menu closed and Chatwoot's editor has the focus again.
    await waitFor(() => expect(document.activeElement?.tagName).toBe('TEXTAREA'));
  });

  it('says the account is not connected, and launches nothing', async () => {
    const message = 'This Chatwoot account (https://chat.example.com, account 1) is not connected to the companion: an admin connects it in the extension\'s options page.';
    const calls = background(() => ({ ok: false, kind: 'not_connected', message }));
    mountInReplyBox('prosemirror');
    await pickRefund();
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('is not connected to the companion'));
    expect(calls.launch).not.toHaveBeenCalled();
  });

  it('Esc returns the focus to the Shortcuts button; closing with the button, to the rich editor', async () => {
    background(() => ({ ok: true, conversationId: 'c' }));
    mountInReplyBox('prosemirror');
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Shortcuts' });
    await waitFor(() => expect(button).toHaveProperty('disabled', false));
    await user.click(button);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(document.activeElement).toBe(button);
    await user.click(button);
    await user.click(button);
    await waitFor(() => expect((document.activeElement as HTMLElement | null)?.classList.contains('ProseMirror')).toBe(true));
  });
});
