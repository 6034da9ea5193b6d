// @vitest-environment node
// (the real server computes paths from import.meta.url, which jsdom turns into an http URL)
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CompanionDb } from '../../lib/extension/db';
import { createHandlers } from '../../lib/extension/handlers';
import { sendMessage, serveMessages } from '../../lib/extension/messaging';
import { Sync } from '../../lib/extension/sync';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// GET /me answers a mini-app's API key too (the app and its scopes). Pasted into the extension
// by mistake, such a key is refused saying what it is, not as "an unexpected shape".
let server: TestServer;
let db: CompanionDb;
let sync: Sync;
let seq = 0;

beforeEach(async () => {
  server = await startTestServer({ workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  db = new CompanionDb(`companion-app-key-${++seq}`);
  sync = new Sync({ db, broadcast: () => undefined, minIntervalMs: 0 });
  fakeBrowser.runtime.onMessage.removeAllListeners();
  serveMessages(createHandlers(sync));
});
afterEach(async () => {
  sync.stop();
  db.close();
  await server.close();
});

it('connecting with an app\'s API key says it is one and asks for a user\'s token', async () => {
  const sink = await startAppSink(server);
  const admin = server.api(server.adminToken);
  const appId = (await admin.post('/apps', { key: 'payments', name: 'Payments', scopes: ['contacts.read'], subscribeUrl: sink.urls.subscribeUrl })).body.app.id;
  expect((await admin.post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);

  const state = await sendMessage('connect', { serverUrl: server.url, token: lastKey(sink) });
  expect(state).toEqual({
    state: 'unauthorized', serverUrl: server.url,
    error: 'This is the API key of the mini-app "Payments", not a user\'s token: connect with your own token',
  });
  const agent = await server.createUser('agent', { name: 'Alex' });
  expect(await sendMessage('connect', { serverUrl: server.url, token: agent.token })).toMatchObject({ state: 'connected', me: { user: { name: 'Alex' } } });
});
