import { afterEach, describe, expect, it } from 'vitest';
import { ChatwootAccount, ChatwootAccountList } from '../../../lib/contracts/chatwoot';
import { Run } from '../../../lib/contracts/runs';
import { cwFaults } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// What the companion writes into Chatwoot shows as its own agent bot ("Inbox Companion"), not as
// the administrator whose token connected the account (server/connectors/chatwoot/agent-bot.ts).

const messagePosts = (p: ChatwootPair) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
const runOf = async (p: ChatwootPair, id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body);
const accountOf = async (p: ChatwootPair) => ChatwootAccountList.parse((await p.server.api(p.server.adminToken).get('/chatwoot/accounts')).body).accounts[0]!;

/** A published Conversation Opened workflow that sends one message, and Jane's Chatwoot conversation that starts it. */
async function greetJane(p: ChatwootPair, opts: { echoFirst?: boolean } = {}) {
  const flow = await createWorkflow(p.server, { name: 'Greeting', trigger: { type: 'conversation_opened' }, steps: [{ id: 'hi', type: 'send_message', config: { text: 'Hi {{$contact.firstName}}, we got it' } }] });
  const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
  const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Where is my order?', incoming: true } });
  // Chatwoot's message_created webhook (a Sidekiq job) may reach the companion before the POST's answer.
  if (opts.echoFirst) p.cw.beforeNextMessageAnswer = async (cid, mid) => { expect((await p.hook(p.cw.messagePayload(cid, mid))).status).toBeLessThan(300); };
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
  const [run] = await runsOf(p.server, flow.id);
  const done = await waitFor('the greeting run to end', async () => {
    const r = await runOf(p, run!.id);
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });
  return { flow, conv, run: done };
}

async function conversationHere(p: ChatwootPair) {
  const list = (await p.server.api(p.server.adminToken).get('/conversations')).body.conversations as { id: string }[];
  return (await p.server.api(p.server.adminToken).get(`/conversations/${list[0]!.id}`)).body;
}

describe('the companion writes into Chatwoot as its agent bot', () => {
  let p: ChatwootPair;
  afterEach(async () => { await p?.close(); });

  it('connecting creates the bot; a workflow\'s message is created with its token, shows as the bot, and its echo is not a person\'s reply', async () => {
    p = await startChatwootPair({ workers: true });
    expect(p.cw.bots.map((b) => b.name)).toEqual(['Inbox Companion']);
    expect(p.account.postsAs).toEqual({ kind: 'bot', name: 'Inbox Companion', note: null });

    const { flow, conv, run } = await greetJane(p, { echoFirst: true });
    expect(run.status, run.error ?? '').toBe('completed');
    expect(messagePosts(p)).toHaveLength(1);
    const sent = conv.messages.at(-1)!;
    expect(sent).toMatchObject({ content: 'Hi Jane, we got it', sender_type: 'AgentBot', sender_id: p.cw.bots[0]!.id });
    // What Chatwoot's webhook says about it (Message#webhook_data).
    expect(p.cw.messagePayload(conv.id, sent.id).sender).toEqual({ id: p.cw.bots[0]!.id, name: 'Inbox Companion', type: 'agent_bot' });

    // The echo came first: stored once, as the workflow's, and it is no first response (nobody replied yet).
    const here = await conversationHere(p);
    const mine = here.messages.filter((m: { text: string }) => m.text === 'Hi Jane, we got it');
    expect(mine).toHaveLength(1);
    expect(mine[0].author).toEqual({ type: 'workflow', id: flow.id, name: 'Greeting' });
    expect(here.firstResponseAt).toBeNull();
    // The run's log names the request, as before.
    expect(run.stepLog.find((e) => e.stepId === 'hi')!.notes).toEqual([expect.stringMatching(/^Chatwoot POST .*\/messages → 200 ok$/)]);

    // A person's reply written here is theirs, not the bot's: it goes with the connected user's token.
    expect((await p.server.api(p.server.adminToken).post(`/conversations/${here.id}/messages`, { text: 'Checking now' })).status).toBeLessThan(300);
    expect(conv.messages.at(-1)).toMatchObject({ content: 'Checking now', sender_type: 'User' });
  });

  it('another agent bot\'s message (not the companion\'s) is stored as a bot\'s, not as a person\'s first response', async () => {
    p = await startChatwootPair();
    const jane = p.cw.addContact({ name: 'Jane Doe' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hello', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    p.cw.bots.push({ id: 77, name: 'Captain', description: '', account_id: 1, access_token: 'captain_token_1234', inboxIds: [3] });
    conv.messages.push({ id: 88_001, content: 'I am a bot, how can I help?', message_type: 1, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'AgentBot', sender_id: 77 });
    expect((await p.hook(p.cw.messagePayload(conv.id, 88_001))).status).toBeLessThan(300);
    const here = await conversationHere(p);
    expect(here.messages.at(-1)).toMatchObject({ text: 'I am a bot, how can I help?', direction: 'outgoing', author: { type: 'workflow', id: null, name: 'Captain' } });
    expect(here.firstResponseAt).toBeNull();
  });

  it('a Chatwoot without the agent bots API: connected all the same, the connected user writes, and the account says why', async () => {
    p = await startChatwootPair({ workers: true, beforeConnect: async (_s, cw) => { cw.agentBotsApi = false; } });
    expect(p.cw.bots).toEqual([]);
    expect(p.account.postsAs).toMatchObject({ kind: 'user', name: 'Alex Agent', note: expect.stringMatching(/no agent bots API/) });
    const { conv, run } = await greetJane(p);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(conv.messages.at(-1)).toMatchObject({ content: 'Hi Jane, we got it', sender_type: 'User' });
  });

  it('a Chatwoot whose answers do not carry the bot\'s token (older bot partial): the bot is made once, the connected user writes, and the account says why', async () => {
    p = await startChatwootPair({ beforeConnect: async (_s, cw) => { cw.botTokenInAnswers = false; } });
    expect(p.cw.bots).toHaveLength(1);
    expect(p.account.postsAs).toMatchObject({ kind: 'user', note: expect.stringMatching(/did not give the token of its agent bot "Inbox Companion"/) });
  });

  it('a bot token Chatwoot refuses (401): the same message is written once with the connected user\'s token, and the account says so', async () => {
    p = await startChatwootPair({ workers: true });
    // The bot was deleted in Chatwoot (its token with it).
    p.cw.bots.length = 0;
    const { conv, run } = await greetJane(p);
    expect(run.status, run.error ?? '').toBe('completed');
    const posts = messagePosts(p);
    expect(posts).toHaveLength(2); // refused, then written
    expect(conv.messages.filter((m) => m.content === 'Hi Jane, we got it')).toHaveLength(1);
    expect(conv.messages.at(-1)).toMatchObject({ sender_type: 'User' });
    expect(run.stepLog.find((e) => e.stepId === 'hi')!.notes).toEqual(expect.arrayContaining([expect.stringMatching(/refused the agent bot's token/)]));
    const account = await accountOf(p);
    expect(account.status).toBe('active');
    expect(account.postsAs).toMatchObject({ kind: 'user', note: expect.stringMatching(/^Chatwoot refused the agent bot's token \(Invalid Access Token\): messages now show as written by the connected user/) });
    // Said once: the next message does not try the refused token again.
    p.cw.requests.length = 0;
    const again = await createWorkflow(p.server, { name: 'Second', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [{ id: 's', type: 'send_message', config: { text: 'Welcome, VIP' } }] });
    const contactId = (await conversationHere(p)).contactId;
    expect((await p.server.api(p.server.adminToken).post(`/contacts/${contactId}/tags`, { tags: ['vip'] })).status).toBeLessThan(300);
    const [second] = await runsOf(p.server, again.id);
    await waitFor('the second run to end', async () => ((await runOf(p, second!.id)).status === 'completed' ? true : undefined));
    expect(messagePosts(p)).toHaveLength(1);
  });

  it('a bot the Chatwoot lets into an account only through an inbox (older versions): refused, written by the user, never twice', async () => {
    p = await startChatwootPair({ workers: true, beforeConnect: async (_s, cw) => { cw.botAccountGate = 'inbox'; } });
    expect(p.account.postsAs?.kind).toBe('bot');
    const { conv, run } = await greetJane(p);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(conv.messages.filter((m) => m.content === 'Hi Jane, we got it')).toEqual([expect.objectContaining({ sender_type: 'User' })]);
  });

  it('an account connected before bots gets its bot at the next sync, reusing one of that name', async () => {
    p = await startChatwootPair();
    // As stored before this change: no bot in config or secrets.
    const row = await p.server.store.db.selectFrom('connections').selectAll().where('id', '=', p.account.id).executeTakeFirstOrThrow();
    const vault = p.server.app.services.vault;
    const { botAccessToken: _dropped, ...secrets } = JSON.parse(vault.open(row.secrets));
    const { bot: _bot, ...config } = JSON.parse(row.config);
    await p.server.store.db.updateTable('connections').set({ secrets: vault.seal(JSON.stringify(secrets)), config: JSON.stringify(config) }).where('id', '=', p.account.id).execute();
    expect((await accountOf(p)).postsAs?.kind).toBe('user');
    expect((await p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
    expect((await accountOf(p)).postsAs).toEqual({ kind: 'bot', name: 'Inbox Companion', note: null });
    expect(p.cw.bots).toHaveLength(1); // the one made at connect, found by its name
    expect(p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/agent_bots'))).toEqual([]);
  });

  it('Chatwoot busy while connecting: connected all the same, and the bot is set up at the next sync', async () => {
    p = await startChatwootPair({ beforeConnect: async (_s, cw) => { cw.failNext(/\/agent_bots$/, cwFaults.unavailable(), cwFaults.unavailable()); } });
    expect(p.account.postsAs).toEqual({ kind: 'user', name: 'Alex Agent', note: null });
    expect((await p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
    expect((await accountOf(p)).postsAs).toEqual({ kind: 'bot', name: 'Inbox Companion', note: null });
  });

  it('a bot token is refused by Chatwoot on what bots may not do', async () => {
    p = await startChatwootPair();
    const res = await fetch(`${p.cw.url}/api/v1/accounts/1/conversations`, { headers: { api_access_token: p.cw.bots[0]!.access_token } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
    expect(ChatwootAccount.parse(p.account).postsAs?.kind).toBe('bot');
  });
});
