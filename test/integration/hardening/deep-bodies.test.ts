import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../lib/contracts/errors';
import { SCOPES } from '../../../lib/contracts/scopes';
import { issueToken } from '../../../server/auth/tokens';
import { messengerAdReferral, whatsappAdMessage, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { startAppSink } from '../../support/app-sink';
import { startTestServer, type TestServer } from '../../support/server';
import { adBody, buildWorld, manifest, ok, shortcutBody, webhookBody } from '../api-fixtures';
import { startChatwootPair, type ChatwootPair } from '../chatwoot/harness';

// Hostile depth at every place of a valid body: each JSON key of each route's body in turn holds
// arrays, then objects, nested 100,000 levels. The random fuzzers reach a given place only now and
// then (a Chatwoot delivery found a 500 after many CI runs; probing every place then found two
// more in the Meta webhook). Each answer is a 2xx or a 4xx in the error shape, never a 5xx.
// Hundreds of requests of up to 600 KB: seconds alone, hence the longer timeouts on a loaded machine.
// The Meta and Chatwoot bodies start as the documented deliveries (test/fixtures/meta/payloads.ts,
// and the Chatwoot stand-in's payload builders, each citing its source) with one place made hostile.

const DEPTH = 100_000;
const DEEP = { arrays: `${'['.repeat(DEPTH)}1${']'.repeat(DEPTH)}`, objects: `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}` };

/** Every place in a JSON value, the whole value first. */
function places(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) places(child, [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

/** The JSON text of `v` with the value at `at` replaced by `deep` (written as text: JSON.stringify itself would overflow). */
function withDeep(v: unknown, at: (string | number)[], deep: string): string {
  if (at.length === 0) return deep;
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  parent[at[at.length - 1]!] = '@@deep@@';
  return JSON.stringify(copy).replace('"@@deep@@"', deep);
}

/** Every deep variant of `body`, with what each was answered; fails on the first 5xx or off-shape error. */
async function everyPlace(body: unknown, send: (text: string) => Promise<{ status: number; body: unknown }>): Promise<number[]> {
  const statuses: number[] = [];
  for (const at of places(body)) {
    for (const [kind, deep] of Object.entries(DEEP)) {
      const res = await send(withDeep(body, at, deep));
      const what = `${kind} at ${at.join('.') || '(the body)'} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`;
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) expect(ErrorBody.safeParse(res.body).success, what).toBe(true);
      statuses.push(res.status);
    }
  }
  return statuses;
}

describe('bodies nested 100,000 levels deep at every place', () => {
  let s: TestServer;
  // The apps' server (a sink) listens on loopback.
  beforeAll(async () => { s = await startTestServer({ workers: false, env: { META_APP_SECRET: 'meta-secret', META_VERIFY_TOKEN: 'verify', COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
  afterAll(async () => { await s?.close(); });

  it('API routes: each answered with a 2xx or a 4xx in the error shape', async () => {
    const w = await buildWorld(s);
    const admin = s.api(s.adminToken);
    const agentId = ok(await admin.get('/users'), 200).users.find((u: { role: string }) => u.role === 'agent').id as string;
    const app = ok(await admin.post('/apps', { ...manifest('deep', (await startAppSink(s)).urls), fields: [...manifest('x').fields, { key: 'raw', label: 'Raw', type: 'json' }], triggers: [{ key: 'paid', name: 'Paid', items: ['order', 'total', 'raw'] }] }), 201).app;
    const installationId = ok(await admin.post(`/apps/${app.id}/install`, { authValues: {} }), 201).id;
    const appKey = (await issueToken(s.store.db, { kind: 'app', installationId, scopes: [...SCOPES] })).token;
    const manual = ok(await admin.post('/workflows', { name: 'Started', trigger: { type: 'manual' }, steps: [], status: 'published' }), 201).id as string;
    const other = ok(await admin.post('/contacts', { firstName: 'Other' }), 201).id as string;
    let n = 0;
    const routes: [string, () => string, unknown, string?][] = [
      ['POST', () => '/conversations', { contactId: other, source: 'zapier' }],
      ['POST', () => `/conversations/${w.conversationId}/close`, { category: 'Done', summary: 's', source: 'api' }],
      ['POST', () => `/contacts/${w.contactId}/merge`, { mergeContactId: other }],
      ['PUT', () => '/settings/default-country', { country: 'US' }],
      ['PUT', () => '/settings/lifecycle-stages', { stages: ['Lead', 'Customer'] }],
      ['POST', () => `/apps/${app.id}/install`, { authValues: {} }],
      ['PUT', () => `/apps/${app.id}`, manifest('deep')],
      ['POST', () => `/workflows/${manual}/start`, { contact: { id: w.contactId }, variables: { a: 'b' } }, appKey],
      ['POST', () => '/auth/inbox-session', { code: 'nope' }],
      ['POST', () => '/chatwoot/accounts', { baseUrl: 'https://chatwoot.example.com', accountId: 1, apiAccessToken: 'token-1234', webhookSecret: 'secret-1234', name: 'Support' }],
      ['POST', () => '/ads/accounts', { adAccountId: 'act_1', accessToken: 'EAAB1234567890' }],
      ['POST', () => '/channels', { kind: 'whatsapp', name: 'Sales', phoneNumberId: '106540352242922', businessAccountId: '102290129340398', accessToken: 'EAAB1234567890' }],
      ['POST', () => '/workflows', shortcutBody()],
      ['POST', () => '/workflows', webhookBody()],
      ['PUT', () => `/workflows/${w.draftId}`, shortcutBody()],
      ['POST', () => `/workflows/${w.webhookId}/webhook/test`, { body: { phone: w.phone, order: { id: 1 } }, trigger: webhookBody().trigger }],
      ['POST', () => `/shortcuts/${w.shortcutId}/launch`, { conversationId: w.conversationId, values: { orderId: 'A1', reason: 'Late' } }],
      ['POST', () => '/apps', manifest('deep-manifest')],
      ['POST', () => `/apps/${app.id}/triggers/paid`, { contact: { phone: w.phone }, items: { order: 'A1', total: 3, raw: { a: [1] } } }, appKey],
      ['POST', () => '/contacts', { firstName: 'Ada', lastName: 'L', tags: ['vip'], fields: {} }],
      ['PATCH', () => `/contacts/${w.contactId}`, { lastName: 'M' }],
      ['POST', () => `/contacts/${w.contactId}/tags`, { tags: ['a'] }],
      ['POST', () => `/conversations/${w.conversationId}/messages`, { text: 'hi', direction: 'incoming', kind: 'comment' }],
      ['POST', () => `/conversations/${w.conversationId}/assign`, { userId: agentId }],
      ['PUT', () => `/fields/plan${++n}`, { label: 'Plan', type: 'list', options: ['a', 'b'] }],
      ['POST', () => '/ads', adBody('ad_deep')],
      ['PUT', () => '/settings/closing-categories', { categories: ['Done', 'Spam'] }],
      ['PATCH', () => `/users/${agentId}/restrictions`, { shortcutsEnabled: true }],
      ['POST', () => '/users', { name: 'N', email: 'n@example.com', role: 'agent' }],
    ];
    for (const [method, path, body, token] of routes) {
      await everyPlace(body, (text) => s.request(method, `/api/v1${path()}`, { token: token ?? s.adminToken, body: text, headers: { 'content-type': 'application/json' } }));
    }
    expect((await s.request('GET', '/readyz')).status).toBe(200);
  }, 60_000);

  it('the Meta webhook refuses them with 400 too_deep, signed or not', async () => {
    const sign = (raw: string) => `sha256=${createHmac('sha256', 'meta-secret').update(raw).digest('hex')}`;
    const before = (await s.events()).length;
    for (const delivery of [whatsappPlainMessage({ waId: '15550001111', text: 'hi' }), whatsappAdMessage({ waId: '15550001112', adId: '1200', text: 'yo' }), messengerAdReferral({ psid: '123', adId: '1201', text: 'x' })]) {
      const statuses = await everyPlace(delivery, (text) => s.request('POST', '/meta/webhook', { body: text, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(text) } }));
      expect(new Set(statuses)).toEqual(new Set([400]));
    }
    expect(await s.events()).toHaveLength(before);
  }, 60_000);

  it('/hooks/:token takes any depth a third party sends: a 202, or a 422 when the contact cannot be told', async () => {
    const admin = s.api(s.adminToken);
    ok(await admin.post('/contacts', { firstName: 'Hook', phone: '+15550009999' }), 201);
    const wf = ok(await admin.post('/workflows', { ...webhookBody('Deep hook'), status: 'published' }), 201);
    const path = new URL(wf.trigger.url as string).pathname;
    const statuses = await everyPlace({ phone: '+15550009999', order: { id: 'o1', items: [{ sku: 'a' }] } }, (text) =>
      s.request('POST', path, { body: text, headers: { 'content-type': 'application/json' } }));
    expect(new Set(statuses)).toEqual(new Set([202, 422]));
  }, 60_000);
});

describe('Chatwoot deliveries nested 100,000 levels deep at every place', () => {
  let p: ChatwootPair;
  beforeAll(async () => { p = await startChatwootPair(); });
  afterAll(async () => { await p?.close(); });

  it('are refused with 400 too_deep', async () => {
    const contact = p.cw.addContact({ name: 'Eve', email: 'eve@example.com', phone_number: '+15550001111', custom_attributes: { plan: 'pro' } });
    const conv = p.cw.addConversation({ contactId: contact.id, labels: ['vip'], firstMessage: { content: 'hello', incoming: true } });
    for (const delivery of [
      p.cw.conversationPayload(conv.id, 'conversation_created'),
      p.cw.contactPayload(contact.id, 'contact_updated', { custom_attributes: { previous_value: {}, current_value: { plan: 'pro' } } }),
      p.cw.messagePayload(conv.id, conv.messages[0]!.id),
    ]) {
      const statuses = await everyPlace(delivery, (text) => fetch(p.account.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })
        .then(async (res) => ({ status: res.status, body: await res.json() as unknown })));
      expect(new Set(statuses)).toEqual(new Set([400]));
    }
    expect((await p.server.request('GET', '/healthz')).status).toBe(200);
  }, 60_000);
});
