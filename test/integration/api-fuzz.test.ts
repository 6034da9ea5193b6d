import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { SCOPES } from '../../lib/contracts/scopes';
import { issueToken } from '../../server/auth/tokens';
import { startAppSink } from '../support/app-sink';
import { startTestServer, type ApiResponse, type TestServer } from '../support/server';
import { adBody, buildWorld, ok, shortcutBody, webhookBody, type World } from './api-fixtures';
import { Deep, everyStep, junk, mutated, pathParam, Raw, rawBodies, toJsonText } from './api-fuzz-arbitraries';

/**
 * Random and near-valid bodies and path parameters at every JSON route, as an admin (and as an
 * app key for app triggers): each answer is a 2xx, or a 4xx in the error shape; never a 5xx,
 * the server stays healthy, and nothing leaks onto Object.prototype (the server runs in-process).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

let s: TestServer;
let w: World;
let richApp: { id: string; key: string };
let manualId: string;
let publishedId: string;
let agentId: string;
/** Where the rich app's server (a sink taking everything) listens. */
let appUrls = { subscribeUrl: 'https://apps.example.com/subscribe' };

const richManifest = (key: string) => ({
  key, name: 'Rich', description: 'Every kind of input', scopes: [...SCOPES], logoUrl: 'https://example.com/logo.png', ...appUrls,
  authInputs: [
    { key: 'apiKey', label: 'API key', type: 'string', required: true, maxLength: 40 },
    { key: 'notes', label: 'Notes', type: 'text' }, { key: 'limit', label: 'Limit', type: 'number' }, { key: 'live', label: 'Live', type: 'checkbox' },
  ],
  fields: [
    { key: 'order', label: 'Order', type: 'text' }, { key: 'total', label: 'Total', type: 'number' }, { key: 'paid', label: 'Paid', type: 'boolean' },
    { key: 'day', label: 'Day', type: 'date' }, { key: 'at', label: 'At', type: 'datetime' }, { key: 'raw', label: 'Raw', type: 'json' },
  ],
  triggers: [{ key: 'paid', name: 'Order paid', items: ['order', 'total', 'paid', 'day', 'at', 'raw'] }],
  actions: [{
    key: 'refund', name: 'Refund', inputs: [{ key: 'orderId', label: 'Order', required: true }],
    request: { method: 'POST', url: 'https://example.com/{{auth.apiKey}}/refunds', headers: { 'x-key': '{{auth.apiKey}}' }, body: { order: '{{input.orderId}}', nested: [{ a: '{{input.orderId}}' }] } },
    outputs: [{ variable: 'refundId', jsonKey: '$.id' }],
  }],
});

const triggers = () => [
  { type: 'conversation_opened', conditions: { logic: 'or', rules: [{ field: 'source', operator: 'is', value: 'api' }] } },
  { type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'category', operator: 'is_not', value: 'Spam' }] } },
  { type: 'contact_tag_updated', action: 'added', tags: ['vip'] },
  { type: 'contact_field_updated', field: 'existing' },
  shortcutBody().trigger,
  { ...webhookBody().trigger, signingSecret: 'whsec_dGVzdA==' },
  { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: ['ad_1'] },
  { type: 'manual' },
  { type: 'mini_app', appId: richApp.id, triggerKey: 'paid' },
];
const definition = () => fc.constantFrom(...triggers()).chain((trigger) => fc.record({
  name: fc.constant('Fuzzed'),
  trigger: fc.constant(trigger),
  oncePerContact: fc.boolean(),
  status: fc.constantFrom('draft', 'published'),
  steps: fc.subarray(everyStep({ userId: agentId, manualId, appId: richApp.id })),
}));

/** `upstream`: a 502 this call may answer, another server having failed (never our 5xx). */
async function send(method: string, path: string, body?: unknown, token = s.adminToken, upstream = false): Promise<ApiResponse> {
  // Written here, not by the client: a string is sent as a JSON string, a Deep at any depth.
  const text = body instanceof Raw ? body.text : body === undefined ? undefined : toJsonText(body);
  const opts = text === undefined ? { token } : { token, body: text, headers: { 'content-type': 'application/json' } };
  const res = await s.request(method, `/api/v1${path}`, opts);
  const what = `${method} ${path} ${text?.slice(0, 300)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  if (!(upstream && res.status === 502)) expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) expect(ErrorBody.safeParse(res.body).success, what).toBe(true);
  return res;
}

/** Near-valid most of the time, junk or raw text now and then. */
const bodyFor = (valid: unknown, arb: fc.Arbitrary<unknown> = mutated(valid)) =>
  fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: rawBodies(valid) });

const check = <T>(arb: fc.Arbitrary<T>, fn: (v: T) => Promise<void>, numRuns = RUNS) =>
  fc.assert(fc.asyncProperty(arb, fn), { numRuns });

beforeAll(async () => {
  // The per-token limit (12,000 a minute) is what a sweep of a few hundred runs a property hits
  // first: sized to the sweep, so that FUZZ_RUNS=2000 fuzzes the routes, not the limiter.
  s = await startTestServer({ workers: false, env: { RATE_LIMIT_PER_MINUTE: String(Math.max(12_000, RUNS * 200)), COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  appUrls = (await startAppSink(s)).urls;
  w = await buildWorld(s);
  const admin = s.api(s.adminToken);
  agentId = ok(await admin.get('/users'), 200).users.find((u: { role: string }) => u.role === 'agent').id;
  const app = ok(await admin.post('/apps', richManifest('rich')), 201).app;
  const installationId = ok(await admin.post(`/apps/${app.id}/install`, { authValues: { apiKey: 'k' } }), 201).id;
  richApp = { id: app.id, key: (await issueToken(s.store.db, { kind: 'app', installationId, scopes: [...SCOPES] })).token };
  manualId = ok(await admin.post('/workflows', { name: 'Callee', trigger: { type: 'manual' }, steps: [], status: 'published' }), 201).id;
  publishedId = ok(await admin.post('/workflows', { ...shortcutBody('Fuzz target'), status: 'published' }), 201).id;
});
afterAll(async () => { await s?.close(); });

describe('API fuzzing: never a 5xx', () => {
  it('workflows: create, publish, update (draft and published), unpublish, delete with random definitions', async () => {
    await check(fc.tuple(bodyFor(shortcutBody(), mutated(definition())), bodyFor(shortcutBody(), mutated(definition())), junk), async ([created, update, extra]) => {
      const res = await send('POST', '/workflows', created);
      const id = res.status === 201 ? res.body.id as string : publishedId;
      await send('POST', `/workflows/${id}/publish`, extra);
      await send('PUT', `/workflows/${id}`, update);
      await send('PUT', `/workflows/${publishedId}`, update);
      await send('GET', `/workflows/${id}`);
      // The published target stays published, so every PUT on it is validated as a publish.
      if (id === publishedId) return;
      await send('POST', `/workflows/${id}/unpublish`);
      await send('DELETE', `/workflows/${id}`);
    });
  });

  it('webhook mapping tester: random sample bodies and unsaved triggers', async () => {
    const trigger = mutated(webhookBody().trigger);
    const body = fc.record({ body: fc.oneof(junk, mutated({ phone: w.phone, order: { id: 1, items: [{ sku: 'a' }] } })), trigger: fc.option(trigger, { nil: undefined }) });
    await check(fc.tuple(bodyFor({ body: {} }, mutated(body)), fc.constantFrom(w.webhookId, w.shortcutId, 'wf_nope')), async ([b, id]) => {
      await send('POST', `/workflows/${id}/webhook/test`, b);
    });
  });

  it('shortcut launch: random form values', async () => {
    const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('orderId', 'reason', 'launchedBy', 'other') }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor') });
    const values = fc.dictionary(key, junk);
    const launch = fc.record({ conversationId: fc.constantFrom(w.conversationId, 'cnv_nope'), values });
    await check(bodyFor({ conversationId: w.conversationId, values: { orderId: 'A1' } }, fc.oneof(launch, mutated(launch))), async (b) => {
      await send('POST', `/shortcuts/${w.shortcutId}/launch`, b);
    });
  });

  it('apps: register random manifests and install with random auth values', async () => {
    let n = 0;
    await check(fc.tuple(bodyFor(richManifest('x'), mutated(fc.constant(null).map(() => richManifest(`fuzz-${++n}`)))), mutated({ authValues: { apiKey: 'k', notes: 'n', limit: 3, live: true } })), async ([manifest, install]) => {
      const res = await send('POST', '/apps', manifest);
      const id = res.status === 201 ? res.body.app.id as string : richApp.id;
      await send('GET', `/apps/${id}`);
      // A subscribeUrl mutated away from the app's server (https://127.0.0.1/) meets nobody there: 502 subscribe_failed.
      const reachable = res.status !== 201 || res.body.app.manifest.subscribeUrl === appUrls.subscribeUrl;
      const installed = await send('POST', `/apps/${id}/install`, install, s.adminToken, !reachable);
      if (installed.status === 201) await send('DELETE', `/apps/${id}/install`);
    });
  });

  it('app triggers: random contacts and items, fired with the app key', async () => {
    const fire = { contact: { phone: w.phone }, items: { order: 'A1', total: 3, paid: true, day: '2026-01-31', at: '2026-01-31T12:00:00Z', raw: { a: [1] } } };
    await check(fc.tuple(bodyFor(fire), fc.constantFrom('paid', 'nope', '__proto__', 'constructor', 'toString')), async ([b, key]) => {
      await send('POST', `/apps/${richApp.id}/triggers/${key}`, b, richApp.key);
    });
  });

  it('contacts and tags', async () => {
    // Unique phone and email per run, so valid bodies get past the uniqueness checks.
    const contact = fc.nat({ max: 999_999 }).map((n) => ({ firstName: 'Ada', lastName: 'L', phone: `+1415${String(n).padStart(7, '0')}`, email: `ada${n}@example.com`, tags: ['vip'], fields: { existing: 'x' } }));
    await check(fc.tuple(bodyFor({ firstName: 'Ada' }, mutated(contact)), bodyFor({ lastName: 'M', fields: { existing: 1 } }), bodyFor({ tags: ['a', 'b'] }), pathParam), async ([c, patch, tags, tag]) => {
      const created = await send('POST', '/contacts', c);
      const id = created.status === 201 ? created.body.id as string : w.contactId;
      await send('PATCH', `/contacts/${id}`, patch);
      await send('POST', `/contacts/${id}/tags`, tags);
      await send('DELETE', `/contacts/${id}/tags/${tag}`);
      await send('GET', `/contacts?phone=${tag}&email=${tag}&q=${tag}`);
    });
  });

  it('contact import: random rows, match keys and options; each row answered, never a 5xx', async () => {
    const contact = fc.nat({ max: 999_999 }).map((n) => ({ firstName: 'Ada', phone: `+1415${String(n).padStart(7, '0')}`, email: `ada${n}@example.com`, tags: ['vip'], fields: { existing: 'x' } }));
    const body = fc.record({ contacts: fc.array(fc.oneof(mutated(contact), junk), { minLength: 1, maxLength: 5 }), match: fc.constantFrom('phone', 'email', 'phone_or_email'), fireTriggers: fc.boolean() });
    let answered = 0;
    await check(bodyFor({ contacts: [{ firstName: 'Ada' }] }, fc.oneof(body, mutated(body))), async (b) => {
      const res = await send('POST', '/contacts/import', b);
      if (res.status !== 200) return;
      answered++;
      const { created, updated, unchanged, failed, results } = res.body as { created: number; updated: number; unchanged: number; failed: number; results: { index: number }[] };
      expect(results.map((r) => r.index)).toEqual(results.map((_, i) => i));
      expect(created + updated + unchanged + failed).toBe(results.length);
    });
    expect(answered, 'some bodies were imports the route answered row by row').toBeGreaterThan(0);
  });

  it('conversations: open, message, assign, close', async () => {
    await check(fc.tuple(bodyFor({ contactId: '@contact', source: 'zapier' }), bodyFor({ text: 'hi', direction: 'incoming', kind: 'comment' }), bodyFor({ userId: agentId }), bodyFor({ category: 'Done', summary: 's', source: 'make' })), async ([open, message, assign, close]) => {
      // A contact without an open conversation each run, so a valid open reaches the handler.
      const contactId = ok(await s.api(s.adminToken).post('/contacts', { firstName: 'Fresh' }), 201).id as string;
      const opened = await send('POST', '/conversations', open instanceof Raw || open === undefined ? open : new Raw(toJsonText(open).replaceAll('"@contact"', JSON.stringify(contactId))));
      const id = opened.status === 201 ? opened.body.id as string : w.conversationId;
      await send('POST', `/conversations/${id}/messages`, message);
      await send('POST', `/conversations/${id}/assign`, assign);
      if (id !== w.conversationId) await send('POST', `/conversations/${id}/close`, close);
    });
  });

  it('fields, ads, closing categories, restrictions, users', async () => {
    const field = { label: 'Plan', type: 'list', options: ['a', 'b'] };
    const fieldKey = fc.oneof(fc.constantFrom('plan', 'existing', 'Plan', '1x', '__proto__', 'constructor'), pathParam);
    await check(fc.tuple(fieldKey, bodyFor(field), bodyFor(adBody('ad_fuzz')), bodyFor({ categories: ['Done', 'Spam'] }), bodyFor({ agentsCanUseShortcuts: true }), bodyFor({ shortcutsEnabled: true }), bodyFor({ name: 'N', email: 'n@example.com', role: 'agent' }, mutated(fc.nat().map((n) => ({ name: 'N', email: `n${n}@example.com`, role: 'agent' }))))), async ([key, f, ad, categories, restrictions, mine, user]) => {
      await send('PUT', `/fields/${key}`, f);
      await send('POST', '/ads', ad);
      await send('PUT', '/settings/closing-categories', categories);
      await send('PATCH', '/settings/restrictions', restrictions);
      await send('PATCH', `/users/${agentId}/restrictions`, mine);
      await send('POST', '/users', user);
    });
    // The workspace must stay usable for the rest of the suite.
    await send('PATCH', '/settings/restrictions', { agentsCanUseShortcuts: true });
  });

  it('random path parameters on every route that takes one', async () => {
    const routes: [string, (p: string) => string, unknown?][] = [
      ['GET', (p) => `/workflows/${p}`], ['PUT', (p) => `/workflows/${p}`, shortcutBody()], ['DELETE', (p) => `/workflows/${p}`],
      ['POST', (p) => `/workflows/${p}/publish`], ['POST', (p) => `/workflows/${p}/unpublish`], ['GET', (p) => `/workflows/${p}/runs?limit=${p}`],
      ['GET', (p) => `/runs/${p}`], ['POST', (p) => `/workflows/${p}/webhook/test`, { body: {} }], ['POST', (p) => `/workflows/${p}/webhook/regenerate`],
      ['POST', (p) => `/shortcuts/${p}/launch`, { conversationId: w.conversationId, values: {} }],
      ['GET', (p) => `/apps/${p}`], ['POST', (p) => `/apps/${p}/install`, { authValues: {} }], ['DELETE', (p) => `/apps/${p}/install`],
      ['PUT', (p) => `/apps/${p}`, {}], ['DELETE', (p) => `/apps/${p}`], ['POST', (p) => `/apps/${p}/signing-secret/rotate`], ['POST', (p) => `/runs/${p}/cancel`],
      ['GET', (p) => `/contacts/${p}`], ['PATCH', (p) => `/contacts/${p}`, { lastName: 'x' }], ['POST', (p) => `/contacts/${p}/tags`, { tags: ['x'] }],
      ['GET', (p) => `/conversations/${p}`], ['POST', (p) => `/conversations/${p}/close`, {}], ['POST', (p) => `/conversations/${p}/messages`, { text: 'x' }],
      ['POST', (p) => `/conversations/${p}/assign`, { userId: null }], ['DELETE', (p) => `/fields/${p}`], ['PATCH', (p) => `/users/${p}/restrictions`, { shortcutsEnabled: true }],
      ['GET', (p) => `/conversations?status=${p}&contactId=${p}&limit=${p}`],
    ];
    await check(fc.tuple(fc.constantFrom(...routes), pathParam), async ([[method, path, body], p]) => {
      await send(method, path(p), body);
    }, RUNS * 3);
    const res = await send('POST', `/apps/${richApp.id}/triggers/x`, { contact: { id: 'c' } }, richApp.key);
    expect(res.status).toBe(404);
  });

  it('random query strings and idempotency keys', async () => {
    const query = fc.array(fc.tuple(fc.constantFrom('limit', 'before', 'status', 'phone', 'email', 'q', 'contactId', 'token', '__proto__'), pathParam), { maxLength: 5 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
    const lists = ['/workflows/@wf/runs', '/contacts', '/conversations', '/workflows', '/shortcuts', '/ads', '/apps', '/fields', '/users', '/me'];
    const idempotencyKey = fc.oneof(fc.string({ maxLength: 250 }).filter((k) => /^[\x20-\x7e]*$/.test(k)), fc.constantFrom(' ', 'x'.repeat(201), 'same'));
    await check(fc.tuple(fc.constantFrom(...lists), query, idempotencyKey), async ([list, q, key]) => {
      await send('GET', `${list.replace('@wf', w.shortcutId)}?${q}`);
      const res = await s.request('POST', `/api/v1/apps/${richApp.id}/triggers/paid`, { token: richApp.key, headers: { 'idempotency-key': key }, body: { contact: { phone: w.phone }, items: { order: 'A' } } });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      expect(res.status >= 400 ? ErrorBody.safeParse(res.body).success : true).toBe(true);
    });
  });

  // Found by this fuzzer: z.json() recursed until the stack overflowed (500) on deep values.
  it.each([
    ['an action request body', 3000], ['an action request body', 100_000], ['a json trigger item', 3000], ['a json trigger item', 100_000],
  ] as const)('%s nested %i deep is refused with a reason', async (where, depth) => {
    const deep = new Deep(depth, 'array');
    const res = where === 'a json trigger item'
      ? await send('POST', `/apps/${richApp.id}/triggers/paid`, { contact: { id: w.contactId }, items: { raw: deep } }, richApp.key)
      : await send('POST', '/apps', { ...richManifest(`deep-${depth}`), actions: [{ ...richManifest('x').actions[0], request: { method: 'POST', url: 'https://example.com', body: deep } }] });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/nests more than 64 levels deep/);
  });

  it('the server is healthy afterwards and nothing was polluted', async () => {
    expect((await send('GET', '/apps')).status).toBe(200);
    expect((await s.request('GET', '/docs/json')).status).toBe(200);
    expect((await s.request('GET', '/healthz')).status).toBe(200);
    expect((await s.request('GET', '/readyz')).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
