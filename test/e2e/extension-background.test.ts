import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkflowDefinition } from '../../lib/contracts/workflow.fixtures';
import type { Push } from '../../lib/extension/protocol';
import { startTestServer, type TestServer } from '../support/server';
import { connectExtension, launchWithExtension, sendFromPage, type ExtensionBrowser } from './support/browser';

// The real background service worker in Chromium (SSE over fetch, Dexie, messages) against the
// real companion, observed from an extension page the way the UI observes it.

let server: TestServer;
let ext: ExtensionBrowser;
let page: Page;
let serverClosed = false;

async function recordPushes(p: Page) {
  await p.evaluate(() => {
    const w = globalThis as unknown as { __pushes: unknown[]; chrome: { runtime: { onMessage: { addListener(l: (m: { ic?: string; push?: unknown }) => void): void } } } };
    w.__pushes = [];
    w.chrome.runtime.onMessage.addListener((m) => { if (m?.ic === 'push') w.__pushes.push(m.push); });
  });
}
const pushes = () => page.evaluate(() => (globalThis as unknown as { __pushes: Push[] }).__pushes);
const clearPushes = () => page.evaluate(() => { (globalThis as unknown as { __pushes: Push[] }).__pushes.length = 0; });
async function waitForPush(match: (p: Push) => boolean, ms: number): Promise<Push> {
  const until = Date.now() + ms;
  for (;;) {
    const found = (await pushes()).find(match);
    if (found) return found;
    if (Date.now() > until) throw new Error(`No matching push within ${ms} ms; got ${JSON.stringify(await pushes())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
  if (!serverClosed) await server?.close();
});

describe('background service worker in Chromium', () => {
  let shortcutId = '';
  let conversationId = '';
  const admin = () => server.api(server.adminToken);

  it('connects an agent and serves an empty list', async () => {
    const agent = await server.createUser('agent', { name: 'Alex Agent' });
    page = await connectExtension(ext, server.url, agent.token);
    await recordPushes(page);
    expect(await sendFromPage(page, 'listShortcuts', {})).toMatchObject({ allowed: true, shortcuts: [], stale: false });
  });

  it('hears a published shortcut from the live stream', async () => {
    const created = await admin().post('/workflows', makeWorkflowDefinition({ trigger: { type: 'shortcut', name: 'Refund' } }));
    expect(created.status).toBe(201);
    await clearPushes();
    expect((await admin().post(`/workflows/${created.body.id}/publish`)).status).toBe(200);
    await waitForPush((p) => p.type === 'shortcuts.changed', 2000);
    const list = await sendFromPage(page, 'listShortcuts', {});
    expect(list.shortcuts.map((s) => s.name)).toEqual(['Refund']);
    shortcutId = list.shortcuts[0]!.id;
  });

  it('launches and forwards run.updated until the run completes', async () => {
    const contact = await admin().post('/contacts', { firstName: 'Maria', email: 'maria@example.com' });
    const conversation = await admin().post('/conversations', { contactId: contact.body.id });
    conversationId = conversation.body.id;
    const outcome = await sendFromPage(page, 'launchShortcut', { shortcutId, conversationId, values: {} });
    expect(outcome).toMatchObject({ ok: true });
    const runId = (outcome as { runId: string }).runId;
    const done = await waitForPush((p) => p.type === 'run.updated' && p.runId === runId && ['completed', 'failed'].includes(p.status), 10_000);
    expect(done).toMatchObject({ status: 'completed' });
  });

  it('applies a supervisor toggle within a second, and the server refuses a forced launch', async () => {
    const supervisor = await server.createUser('supervisor');
    await clearPushes();
    const toggledAt = Date.now();
    expect((await server.api(supervisor.token).patch('/settings/restrictions', { agentsCanUseShortcuts: false })).status).toBe(200);
    await waitForPush((p) => p.type === 'shortcuts.changed', 1000);
    expect(Date.now() - toggledAt).toBeLessThan(1000);
    expect(await sendFromPage(page, 'listShortcuts', {})).toMatchObject({ allowed: false });
    expect(await sendFromPage(page, 'launchShortcut', { shortcutId, conversationId, values: {} })).toMatchObject({ ok: false, kind: 'forbidden' });
    await clearPushes();
    expect((await server.api(supervisor.token).patch('/settings/restrictions', { agentsCanUseShortcuts: true })).status).toBe(200);
    await waitForPush((p) => p.type === 'shortcuts.changed', 1000);
  });

  it('serves the cache with the server stopped and says a launch was not sent', async () => {
    await server.close();
    serverClosed = true;
    const list = await sendFromPage(page, 'listShortcuts', { refresh: true });
    expect(list).toMatchObject({ allowed: true, stale: true });
    expect(list.shortcuts.map((s) => s.name)).toEqual(['Refund']);
    const outcome = await sendFromPage(page, 'launchShortcut', { shortcutId, conversationId, values: {} });
    expect(outcome).toEqual({ ok: false, kind: 'unreachable', message: `Could not reach the companion server at ${server.url}; the shortcut was not started.` });
    expect(await sendFromPage(page, 'getConnection')).toMatchObject({ state: 'unreachable', me: { user: { name: 'Alex Agent' } } });
  });
});
