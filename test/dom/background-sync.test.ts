import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CompanionDb } from '../../lib/extension/db';
import { createHandlers } from '../../lib/extension/handlers';
import { sendMessage, serveMessages } from '../../lib/extension/messaging';
import type { Push } from '../../lib/extension/protocol';
import { Sync } from '../../lib/extension/sync';
import { startStubCompanion, stubShortcut, type StubCompanion } from '../e2e/support/stub-companion';

let stub: StubCompanion;
let db: CompanionDb;
let sync: Sync;
let pushes: Push[];
let dbSeq = 0;

/** A background as background.ts wires it, on a fresh database; `live` opens the SSE stream. */
function startBackground(live = false) {
  pushes = [];
  sync?.stop();
  sync = new Sync({ db, broadcast: (p) => void pushes.push(p), live, minIntervalMs: 0, liveBackoffMs: { min: 50, max: 200 } });
  fakeBrowser.runtime.onMessage.removeAllListeners();
  serveMessages(createHandlers(sync));
  return sync;
}

const waitFor = async (check: () => boolean | Promise<boolean>, ms = 2000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeEach(async () => {
  stub = await startStubCompanion();
  db = new CompanionDb(`test-${++dbSeq}`);
  startBackground();
});

afterEach(async () => {
  sync.stop();
  db.close();
  await stub.stop().catch(() => undefined);
});

describe('background sync and cache', () => {
  it('connects after checking the token against /me and caches the list', async () => {
    stub.setShortcuts([stubShortcut('a', 'Add tag'), stubShortcut('b', 'Close')], { version: 'v7' });
    const state = await sendMessage('connect', { serverUrl: `${stub.url}/`, token: stub.token });
    expect(state).toMatchObject({ state: 'connected', serverUrl: stub.url, me: { user: { name: 'Ada Agent', role: 'agent' } } });
    expect(await sendMessage('getConnection')).toMatchObject({ state: 'connected' });

    const list = await sendMessage('listShortcuts', {});
    expect(list).toMatchObject({ allowed: true, version: 'v7', stale: false });
    expect(list.shortcuts.map((s) => s.name)).toEqual(['Add tag', 'Close']);
    expect(pushes).toContainEqual({ type: 'shortcuts.changed' });
  });

  it('refuses a bad token without saving it', async () => {
    const state = await sendMessage('connect', { serverUrl: stub.url, token: 'wrong' });
    expect(state).toMatchObject({ state: 'unauthorized', error: 'Unknown token' });
    expect(await sendMessage('getConnection')).toEqual({ state: 'disconnected' });
  });

  it('says when the server cannot be reached on connect', async () => {
    await stub.stop();
    const state = await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    expect(state).toMatchObject({ state: 'unreachable', error: `Could not reach the companion server at ${stub.url}` });
  });

  it('serves the cache when the server is down, marked stale, also after a background restart', async () => {
    stub.setShortcuts([stubShortcut('a', 'Add tag')]);
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    await stub.stop();

    startBackground(); // a service worker restart: nothing in memory, everything from Dexie
    const first = await sendMessage('listShortcuts', {});
    expect(first.shortcuts.map((s) => s.name)).toEqual(['Add tag']);
    await sendMessage('listShortcuts', { refresh: true });
    const afterFailure = await sendMessage('listShortcuts', {});
    expect(afterFailure).toMatchObject({ allowed: true, stale: true });
    expect(afterFailure.shortcuts).toHaveLength(1);
    expect(await sendMessage('getConnection')).toMatchObject({ state: 'unreachable', me: { user: { name: 'Ada Agent' } } });

    await stub.restart();
    const back = await sendMessage('listShortcuts', { refresh: true });
    expect(back.stale).toBe(false);
    expect(await sendMessage('getConnection')).toMatchObject({ state: 'connected' });
  });

  it('answers from the cache at once and rewrites it only when the server version changes', async () => {
    stub.setShortcuts([stubShortcut('a', 'Old')], { version: 'v1' });
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    pushes.length = 0;

    // Same version: the revalidation finds nothing new and says nothing.
    await sendMessage('listShortcuts', { refresh: true });
    expect(pushes).not.toContainEqual({ type: 'shortcuts.changed' });

    stub.setShortcuts([stubShortcut('a', 'New'), stubShortcut('c', 'Third')], { version: 'v2' });
    const instant = await sendMessage('listShortcuts', {});
    expect(instant.shortcuts.map((s) => s.name)).toEqual(['Old']); // stale-while-revalidate
    await waitFor(() => pushes.some((p) => p.type === 'shortcuts.changed'));
    const fresh = await sendMessage('listShortcuts', {});
    expect(fresh).toMatchObject({ version: 'v2' });
    expect(fresh.shortcuts.map((s) => s.name)).toEqual(['New', 'Third']);
  });

  it('reflects a restricted agent from the server', async () => {
    stub.setShortcuts([], { allowed: false, reason: 'Shortcuts are turned off for you' });
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    expect(await sendMessage('listShortcuts', {})).toMatchObject({ allowed: false, reason: 'Shortcuts are turned off for you', shortcuts: [] });
  });

  it('forgets everything on disconnect', async () => {
    stub.setShortcuts([stubShortcut('a')]);
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    expect(await sendMessage('disconnect')).toEqual({ state: 'disconnected' });
    expect(await sendMessage('listShortcuts', {})).toMatchObject({ allowed: false, shortcuts: [], stale: true });
    expect(await db.shortcuts.count()).toBe(0);
  });
});

describe('live stream', () => {
  it('refetches on definitions.changed and restrictions.changed, and forwards run.updated', async () => {
    stub.setShortcuts([stubShortcut('a', 'Before')]);
    startBackground(true);
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    await waitFor(() => stub.streams() === 1);

    pushes.length = 0;
    stub.setShortcuts([stubShortcut('a', 'After')]);
    const sentAt = Date.now();
    stub.publish({ type: 'definitions.changed', version: stub.list.version });
    await waitFor(() => pushes.some((p) => p.type === 'shortcuts.changed'));
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect((await sendMessage('listShortcuts', {})).shortcuts[0]?.name).toBe('After');

    pushes.length = 0;
    stub.setShortcuts([], { allowed: false, reason: 'Turned off by a supervisor' });
    stub.publish({ type: 'restrictions.changed', version: 'r2' });
    await waitFor(() => pushes.some((p) => p.type === 'shortcuts.changed'));
    expect(await sendMessage('listShortcuts', {})).toMatchObject({ allowed: false, reason: 'Turned off by a supervisor' });

    stub.publish({ type: 'run.updated', runId: 'run_9', workflowId: 'wf_1', status: 'failed', error: 'Step 2 failed' });
    await waitFor(() => pushes.some((p) => p.type === 'run.updated'));
    expect(pushes).toContainEqual({ type: 'run.updated', runId: 'run_9', status: 'failed', error: 'Step 2 failed' });
  });

  it('a deactivation ends the stream: the background learns why at once, drops the cached list and stops reconnecting', async () => {
    stub.setShortcuts([stubShortcut('a', 'Add tag')]);
    startBackground(true);
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    await waitFor(() => stub.streams() === 1);
    expect((await sendMessage('listShortcuts', {})).shortcuts).toHaveLength(1);
    pushes.length = 0;

    const message = 'This account has been deactivated: an admin of the workspace can reactivate it (Settings → Users)';
    const cutAt = Date.now();
    stub.cutOff(message);
    // Nothing asks the background here: the stream's end alone makes it find out.
    await waitFor(() => pushes.some((p) => p.type === 'connection.changed'));
    expect(Date.now() - cutAt).toBeLessThan(1000);
    expect(await sendMessage('getConnection')).toMatchObject({ state: 'unauthorized', error: message });
    expect(pushes).toContainEqual({ type: 'shortcuts.changed' });
    const list = await sendMessage('listShortcuts', {});
    expect(list).toMatchObject({ allowed: false, shortcuts: [], stale: true });
    expect(list.reason).toBe(`The server no longer accepts your token (${message}): reconnect from the extension popup.`);
    expect(await db.shortcuts.count()).toBe(0);
    // Refused streams are not retried in a loop (each would count as a failed sign-in).
    await new Promise((r) => setTimeout(r, 400));
    const attempts = stub.hits.filter((h) => h === 'GET /api/v1/events/stream').length;
    await new Promise((r) => setTimeout(r, 400));
    expect(stub.hits.filter((h) => h === 'GET /api/v1/events/stream').length).toBe(attempts);
  });

  it('reads /me again when the server says this user changed (a new role)', async () => {
    startBackground(true);
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    await waitFor(() => stub.streams() === 1);
    await new Promise((r) => setTimeout(r, 50)); // the stream's own opening revalidation is over
    stub.me = { ...stub.me, user: { ...stub.me.user, role: 'supervisor' }, permissions: { ...stub.me.permissions, superviseAgents: true } };
    pushes.length = 0;
    const meReads = () => stub.hits.filter((h) => h === 'GET /api/v1/me').length;
    const before = meReads();
    stub.publish({ type: 'user.changed', userId: 'someone_else' });
    await new Promise((r) => setTimeout(r, 100));
    expect(meReads()).toBe(before);
    // Nothing asks the background here: the stream message alone makes it read /me and say so.
    stub.publish({ type: 'user.changed', userId: 'u_agent' });
    await waitFor(() => pushes.some((p) => p.type === 'connection.changed'));
    expect(await sendMessage('getConnection')).toMatchObject({ state: 'connected', me: { user: { role: 'supervisor' } } });
  });

  it('reconnects after the server comes back and catches up', async () => {
    stub.setShortcuts([stubShortcut('a', 'Before')]);
    startBackground(true);
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
    await waitFor(() => stub.streams() === 1);
    await stub.stop();
    stub.setShortcuts([stubShortcut('a', 'Changed while down')]);
    await stub.restart();
    await waitFor(() => stub.streams() === 1, 3000);
    await waitFor(async () => (await sendMessage('listShortcuts', {})).shortcuts[0]?.name === 'Changed while down', 3000);
  });
});

describe('launch', () => {
  const launch = () => sendMessage('launchShortcut', { shortcutId: 'a', conversationId: 'c_1', values: { note: 'hi' } });

  beforeEach(async () => {
    stub.setShortcuts([stubShortcut('a')]);
    await sendMessage('connect', { serverUrl: stub.url, token: stub.token });
  });

  it.each([
    [{ status: 202, body: { runId: 'run_42' } }, { ok: true, runId: 'run_42' }],
    [{ status: 403, body: { error: { code: 'forbidden', message: 'Shortcuts are turned off for you' } } },
      { ok: false, kind: 'forbidden', message: 'Shortcuts are turned off for you' }],
    [{ status: 422, body: { error: { code: 'invalid', message: 'The form is not valid', details: [{ path: 'values.note', message: 'Required' }] } } },
      { ok: false, kind: 'invalid', message: 'The form is not valid', details: [{ path: 'values.note', message: 'Required' }] }],
    [{ status: 409, body: { error: { code: 'conflict', message: 'The conversation is closed' } } },
      { ok: false, kind: 'error', message: 'The conversation is closed' }],
    [{ status: 202, body: { nope: true } }, { ok: false, kind: 'error' }],
  ])('answer %j -> %j', async (answer, outcome) => {
    stub.launchAnswer = answer;
    expect(await launch()).toMatchObject(outcome);
    expect(stub.hits).toContain('POST /api/v1/shortcuts/a/launch');
  });

  it('says clearly that nothing was started when the server is unreachable', async () => {
    await stub.stop();
    expect(await launch()).toEqual({
      ok: false, kind: 'unreachable',
      message: `Could not reach the companion server at ${stub.url}; the shortcut was not started.`,
    });
  });

  it('fetches a run, null when unknown', async () => {
    expect(await sendMessage('getRun', { runId: 'missing' })).toBeNull();
  });

  it('proxies generic API calls to the connected server only', async () => {
    expect(await sendMessage('api', { method: 'GET', path: '/me' })).toMatchObject({ status: 200, body: { user: { name: 'Ada Agent' } } });
    expect(await sendMessage('api', { method: 'GET', path: '/api/v1/nothing' })).toMatchObject({ status: 404 });
    await expect(sendMessage('api', { method: 'GET', path: '//evil.example/x' })).rejects.toThrow(/single/);
  });
});
