// @vitest-environment node
// (the real server computes paths from import.meta.url, which jsdom turns into an http URL)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeWorkflowDefinition } from '../../lib/contracts/workflow.fixtures';
import { CompanionDb } from '../../lib/extension/db';
import { createHandlers } from '../../lib/extension/handlers';
import { sendMessage, serveMessages } from '../../lib/extension/messaging';
import type { Push } from '../../lib/extension/protocol';
import { Sync } from '../../lib/extension/sync';
import { startTestServer, type TestServer } from '../support/server';

// The background against the real companion (temporary SQLite): contracts, stream and restrictions.
let server: TestServer;
let db: CompanionDb;
let sync: Sync;
let pushes: Push[];
let seq = 0;

const waitFor = async (check: () => boolean | Promise<boolean>, ms = 3000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeEach(async () => {
  server = await startTestServer();
  db = new CompanionDb(`companion-${++seq}`);
  pushes = [];
  sync = new Sync({ db, broadcast: (p) => void pushes.push(p), minIntervalMs: 0 });
  fakeBrowser.runtime.onMessage.removeAllListeners();
  serveMessages(createHandlers(sync));
});

afterEach(async () => {
  sync.stop();
  db.close();
  await server.close();
});

describe('background with the real companion', () => {
  it('follows published shortcuts and a supervisor toggle live, within a second', async () => {
    const admin = server.api(server.adminToken);
    const agent = await server.createUser('agent', { name: 'Alex Agent' });
    const supervisor = await server.createUser('supervisor');

    const state = await sendMessage('connect', { serverUrl: server.url, token: agent.token });
    expect(state).toMatchObject({ state: 'connected', me: { user: { name: 'Alex Agent', role: 'agent' } } });
    expect(await sendMessage('listShortcuts', {})).toMatchObject({ allowed: true, shortcuts: [], stale: false });

    const created = await admin.post('/workflows', makeWorkflowDefinition({ name: 'Refund order', trigger: { type: 'shortcut', name: 'Refund' } }));
    expect(created.status).toBe(201);
    pushes.length = 0;
    expect((await admin.post(`/workflows/${created.body.id}/publish`)).status).toBe(200);
    await waitFor(() => pushes.some((p) => p.type === 'shortcuts.changed'));
    const published = await sendMessage('listShortcuts', {});
    expect(published.shortcuts.map((s) => s.name)).toEqual(['Refund']);

    pushes.length = 0;
    const toggledAt = Date.now();
    expect((await server.api(supervisor.token).patch('/settings/restrictions', { agentsCanUseShortcuts: false })).status).toBe(200);
    await waitFor(() => pushes.some((p) => p.type === 'shortcuts.changed'), 1000);
    expect(Date.now() - toggledAt).toBeLessThan(1000);
    expect(await sendMessage('listShortcuts', {})).toMatchObject({ allowed: false });

    const outcome = await sendMessage('launchShortcut', { shortcutId: published.shortcuts[0]!.id, conversationId: 'conv_x', values: {} });
    expect(outcome).toMatchObject({ ok: false, kind: 'forbidden' });
  });

  it('a launch names the run\'s contact; once the shortcut is unpublished it is "unavailable", by name', async () => {
    const admin = server.api(server.adminToken);
    const agent = await server.createUser('agent');
    await sendMessage('connect', { serverUrl: server.url, token: agent.token });
    const created = await admin.post('/workflows', makeWorkflowDefinition({ name: 'Lookup', trigger: { type: 'shortcut', name: 'Order lookup' } }));
    await admin.post(`/workflows/${created.body.id}/publish`);
    const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' });
    const conversationId = (await admin.post('/conversations', { contactId: contact.body.id })).body.id as string;
    const launch = () => sendMessage('launchShortcut', { shortcutId: created.body.id, conversationId, values: {} });

    expect(await launch()).toEqual({ ok: true, runId: expect.stringMatching(/^run_/), contactName: 'Maria Garcia' });
    expect((await admin.post(`/workflows/${created.body.id}/unpublish`)).status).toBe(200);
    expect(await launch()).toEqual({ ok: false, kind: 'unavailable', message: '“Order lookup” is no longer available (unpublished by an admin)' });
  });
});
