// @vitest-environment node
// (the real server computes paths from import.meta.url, which jsdom turns into an http URL)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvingApi } from '../../entrypoints/inbox.content/resolve';
import type { LauncherApi } from '../../components/launcher/types';
import { sendMessage } from '../../lib/extension/messaging';
import { startOlderRelease, type OlderRelease } from '../support/older-release';
import { startTestServer, type TestServer } from '../support/server';
import { connectBackground, serveBackgroundBeforeEach, type Background } from './background-harness';

// The launcher in Chatwoot against a real server one release older than the extension (no Take
// over, no Chatwoot conversation mapping: those routes answered by the real not-found handler).
// What the agent reads (the toast of a launch, the line under Take over) says which route the
// server lacks and to update it; a conversation the server does not have still says "not found".

let server: TestServer;
let older: OlderRelease;
let background: Background;
let conversationId: string;

const updateServer = (route: string) => `The companion server at ${older.url} is older than this extension: it does not have ${route}. Ask whoever runs the companion server to update it.`;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  older = await startOlderRelease(server, [
    { method: 'POST', url: '/api/v1/conversations/:id/awaiting-answer/take-over' },
    { method: 'GET', url: '/api/v1/chatwoot/conversations/resolve' },
  ]);
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Maria' });
  conversationId = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
  const agent = await server.createUser('agent');
  background = await connectBackground('background-missing-route', older.url, agent.token);
});
serveBackgroundBeforeEach(() => background);
afterAll(async () => {
  background?.stop();
  await older?.close();
  await server?.close();
});

describe('the launcher on a server older than the extension', () => {
  it('Take over says the server lacks it and to update the server', async () => {
    await expect(sendMessage('takeOver', { conversationId, runId: 'run_01JZZZZZZZZZZZZZZZZZZZZZZZ' }))
      .rejects.toThrow(updateServer('POST /api/v1/conversations/:id/awaiting-answer/take-over'));
  });

  it('a launch from a Chatwoot conversation says the server cannot map it yet, not "No route"', async () => {
    const base = { launchShortcut: () => { throw new Error('not launched: the conversation is not mapped'); } } as unknown as LauncherApi;
    const refs = new Map([['chatwoot:1:42', { accountId: '1', conversationId: '42' }]]);
    const outcome = await resolvingApi(base, 'https://chatwoot.example.com', refs).launchShortcut({ shortcutId: 'wf_x', conversationId: 'chatwoot:1:42', values: {} });
    expect(outcome).toEqual({ ok: false, kind: 'error', message: updateServer('GET /api/v1/chatwoot/conversations/resolve') });
  });

  it('a conversation the server does not have still says it is not found', async () => {
    await expect(sendMessage('awaitingAnswer', { conversationId: 'conv_missing' })).rejects.toThrow('Conversation conv_missing not found');
    expect(older.refused).toEqual([
      `POST /api/v1/conversations/${conversationId}/awaiting-answer/take-over`,
      expect.stringMatching(/^GET \/api\/v1\/chatwoot\/conversations\/resolve$/),
    ]);
  });
});
