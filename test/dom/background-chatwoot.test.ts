// @vitest-environment node
// (the real server computes paths from import.meta.url, which jsdom turns into an http URL)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMessage } from '../../lib/extension/messaging';
import { startChatwootStandin, type ChatwootStandin } from '../support/chatwoot-standin';
import { startTestServer, type TestServer } from '../support/server';
import { connectBackground, serveBackgroundBeforeEach, type Background } from './background-harness';

// The background maps Chatwoot conversations through the real companion, connected to the
// Chatwoot API stand-in; the page adapter's health is kept per tab for the popup.
let server: TestServer;
let cw: ChatwootStandin;
let background: Background;
let conversationId: number;
/** Every resolve request the background sent to the companion. */
const resolveRequests: string[] = [];
const countingFetch: typeof fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url.includes('/chatwoot/conversations/resolve')) resolveRequests.push(url);
  return fetch(input, init);
};

beforeAll(async () => {
  cw = await startChatwootStandin();
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0' }, workers: false });
  const contact = cw.addContact({ name: 'Maria Garcia', email: 'maria@example.com' });
  conversationId = cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } }).id;
  const agent = await server.createUser('agent');
  background = await connectBackground('background-chatwoot', server.url, agent.token, { fetch: countingFetch });
});
serveBackgroundBeforeEach(() => background);

afterAll(async () => {
  background?.stop();
  await server?.close();
  await cw?.close();
});

const ask = (fresh = false) => sendMessage('resolveConversation', { inbox: 'chatwoot', origin: cw.url, accountId: String(cw.accountId), conversationId: String(conversationId), fresh });

describe('mapping Chatwoot conversations in the background', () => {
  it('says clearly that the Chatwoot account is not connected, and remembers no failure', async () => {
    const outcome = await ask();
    expect(outcome).toMatchObject({ ok: false, kind: 'not_connected' });
    expect(!outcome.ok && outcome.message).toMatch(/not connected/);
  });

  it('maps once connected; route changes are served from the cache, a launch asks again', async () => {
    const connected = await server.api(server.adminToken).post('/chatwoot/accounts', { baseUrl: cw.url, accountId: cw.accountId, apiAccessToken: cw.token });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    const first = await ask();
    expect(first).toMatchObject({ ok: true });
    const conversation = await server.api(server.adminToken).get(`/conversations/${first.ok ? first.conversationId : ''}`);
    expect(conversation.body).toMatchObject({ externalId: String(conversationId) });

    const sent = resolveRequests.length;
    expect(await ask()).toEqual(first);
    expect(await ask()).toEqual(first);
    expect(resolveRequests).toHaveLength(sent);
    expect(await ask(true)).toEqual(first);
    expect(resolveRequests).toHaveLength(sent + 1);
  });

  it('says so for a conversation Chatwoot does not have', async () => {
    const outcome = await sendMessage('resolveConversation', { inbox: 'chatwoot', origin: cw.url, accountId: String(cw.accountId), conversationId: '999999', fresh: true });
    expect(outcome).toMatchObject({ ok: false, kind: 'not_found' });
    expect(!outcome.ok && outcome.message).toMatch(/999999/);
  });

  it('tells whether a workflow waits on the mapped conversation\'s customer; an unknown id is an error, not "none"', async () => {
    const mapped = await ask();
    expect(mapped).toMatchObject({ ok: true });
    const companionId = mapped.ok ? mapped.conversationId : '';
    expect(await sendMessage('awaitingAnswer', { conversationId: companionId })).toEqual({ awaitingAnswer: null, awaitingAnswers: [] });
    await expect(sendMessage('awaitingAnswer', { conversationId: 'conv_missing' })).rejects.toThrow(/conv_missing|not found/i);
  });

  it('keeps what each tab\'s page adapter reported, for the popup', async () => {
    await background.handlers.reportAdapter({ adapter: 'chatwoot', status: 'needs-update', message: 'The Chatwoot adapter needs updating' }, { tab: { id: 12 } });
    expect(await sendMessage('getAdapterHealth', { tabId: 12 })).toMatchObject({ status: 'needs-update' });
    expect(await sendMessage('getAdapterHealth', { tabId: 13 })).toBeNull();
  });
});
