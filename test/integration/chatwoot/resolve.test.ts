import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChatwootPair, type ChatwootPair } from './harness';

describe('GET /chatwoot/conversations/resolve', () => {
  let p: ChatwootPair;
  let token: string;
  beforeEach(async () => { p = await startChatwootPair(); token = (await p.server.createUser('agent')).token; });
  afterEach(async () => { await p.close(); });
  const resolve = (q: Record<string, string | number>) => p.server.api(token).get(`/chatwoot/conversations/resolve?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`);

  it.each([
    ['an account that is not connected', () => ({ origin: p.cw.url, accountId: 2, conversationId: 1 }), 404, /account 2 at .* is not connected.*Settings → Chatwoot/],
    ['another origin', () => ({ origin: 'https://elsewhere.example.com', accountId: 1, conversationId: 1 }), 404, /not connected/],
    ['a conversation Chatwoot does not have', () => ({ origin: p.cw.url, accountId: 1, conversationId: 999 }), 404, /Chatwoot has no conversation 999/],
    ['an origin that is not one', () => ({ origin: 'not a url', accountId: 1, conversationId: 1 }), 422, /not an origin/],
  ])('says what is wrong with %s', async (_what, query, status, message) => {
    const res = await resolve(query());
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('lists the connected dashboards to any signed-in user, without secrets', async () => {
    const res = await p.server.api(token).get('/chatwoot/origins');
    expect(res.body).toEqual({ origins: [{ connectionId: p.account.id, name: 'Acme Support', origin: p.cw.url, accountId: 1 }] });
    expect((await p.server.api().get('/chatwoot/origins')).status).toBe(401);
  });

  it('refuses a resolved conversation never seen open, and needs a signed-in user', async () => {
    const contact = p.cw.addContact({ name: 'Old' });
    const conv = p.cw.addConversation({ contactId: contact.id, status: 'resolved' });
    const res = await resolve({ origin: p.cw.url, accountId: 1, conversationId: conv.id });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/is resolved; shortcuts run in open conversations/);
    expect((await p.server.api().get(`/chatwoot/conversations/resolve?origin=${p.cw.url}&accountId=1&conversationId=${conv.id}`)).status).toBe(401);
  });
});
