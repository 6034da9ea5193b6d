import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { startChatwootStandin, type ChatwootStandin } from '../support/chatwoot-standin';
import { startGraphStandIn, type GraphStandIn } from '../support/graph-standin';
import { startTestServer, type ApiResponse, type TestServer } from '../support/server';
import { adBody, buildWorld, manifest, ok, shortcutBody, type World } from './api-fixtures';

// /docs/json says what each route answers: its success status as the route really answers it
// (204 without a body), and its errors in the one error shape. Every POST and DELETE is called
// here with a valid request and its answer compared with the document; a new POST or DELETE route
// needs a row (the coverage check says which).

type Operation = { responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }> };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

const APP_SECRET = 'meta-app-secret-for-openapi-tests';
const WA = { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', token: 'EAAGwaToken1234WXYZ' };
const PUBLIC = new Set(['/hooks/{token}', '/chatwoot/webhook/{token}', '/meta/webhook', '/api/v1/auth/inbox-session', '/healthz', '/readyz']);

let s: TestServer;
let graph: GraphStandIn;
let cw: ChatwootStandin;
let doc: Doc;
let w: World;
const made: Record<string, string> = {};

beforeAll(async () => {
  graph = await startGraphStandIn();
  graph.addPhoneNumber({ id: WA.phoneNumberId, token: WA.token, businessAccountId: WA.businessAccountId });
  graph.addAdAccount({ id: 'act_1234', token: 'EAAGadsToken9999', ads: [] });
  cw = await startChatwootStandin();
  s = await startTestServer({
    workers: false,
    env: { META_GRAPH_URL: graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify', COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0' },
  });
  w = await buildWorld(s);
  const admin = s.api(s.adminToken);
  made.manualId = ok(await admin.post('/workflows', { name: 'Sub flow', trigger: { type: 'manual' }, steps: [], status: 'published' }), 201).id;
  made.agentId = (await s.createUser('agent')).user.id;
  doc = (await s.request('GET', '/docs/json')).body as Doc;
}, 60_000);
afterAll(async () => { await s?.close(); await graph?.close(); await cw?.close(); });

const admin = () => s.api(s.adminToken);
const newContact = async (firstName: string) => ok(await admin().post('/contacts', { firstName }), 201).id as string;

interface Row {
  /** As /docs/json names it: `DELETE /api/v1/workflows/{id}`. */
  op: string;
  call: () => Promise<ApiResponse>;
  /** The answer expected when it is not the success one (a run that is not retrying). */
  status?: number;
}
const call = (method: string, path: string, body?: unknown, opts: { token?: string; headers?: Record<string, string> } = {}) => () =>
  s.request(method, path, { token: opts.token ?? s.adminToken, ...(body === undefined ? {} : { body }), ...(opts.headers ? { headers: opts.headers } : {}) });
const api = (method: string, path: () => string, body?: () => unknown, opts: { token?: () => string } = {}) => () =>
  call(method, `/api/v1${path()}`, body?.(), opts.token ? { token: opts.token() } : {})();
const signed = (payload: unknown) => {
  const raw = JSON.stringify(payload);
  return { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`, raw };
};

// In order: a row that consumes something comes after the rows that need it.
const rows: Row[] = [
  { op: 'POST /hooks/{token}', call: () => s.request('POST', w.hookPath, { body: { phone: w.phone, order: { id: 1 } } }) },
  { op: 'POST /api/v1/users', call: api('POST', () => '/users', () => ({ name: 'New', email: 'new@x.test', role: 'agent' })) },
  { op: 'POST /api/v1/users/{id}/token', call: api('POST', () => `/users/${made.agentId}/token`) },
  { op: 'DELETE /api/v1/users/{id}', call: api('DELETE', () => `/users/${made.agentId}`) },
  { op: 'POST /api/v1/contacts', call: api('POST', () => '/contacts', () => ({ firstName: 'Zoe' })) },
  { op: 'POST /api/v1/contacts/import', call: api('POST', () => '/contacts/import', () => ({ contacts: [{ firstName: 'Imported' }] })) },
  { op: 'POST /api/v1/contacts/{id}/tags', call: api('POST', () => `/contacts/${w.contactId}/tags`, () => ({ tags: ['t'] })) },
  { op: 'DELETE /api/v1/contacts/{id}/tags/{tag}', call: api('DELETE', () => `/contacts/${w.contactId}/tags/t`) },
  { op: 'POST /api/v1/contacts/{id}/merge', call: async () => admin().post(`/contacts/${await newContact('Keep')}/merge`, { mergeContactId: await newContact('Drop') }) },
  { op: 'DELETE /api/v1/contacts/{id}', call: async () => admin().del(`/contacts/${await newContact('Gone')}`) },
  { op: 'DELETE /api/v1/fields/{key}', call: api('DELETE', () => '/fields/existing') },
  { op: 'POST /api/v1/conversations', call: async () => admin().post('/conversations', { contactId: await newContact('Opener') }) },
  { op: 'POST /api/v1/conversations/{id}/messages', call: api('POST', () => `/conversations/${w.conversationId}/messages`, () => ({ text: 'hi' })) },
  // A built-in conversation's message never went through a channel: nothing to send again (409).
  {
    op: 'POST /api/v1/conversations/{id}/messages/{messageId}/resend', status: 409, call: async () => {
      const message = ok(await admin().post(`/conversations/${w.conversationId}/messages`, { text: 'hello' }), 201);
      return admin().post(`/conversations/${w.conversationId}/messages/${message.id}/resend`, {});
    },
  },
  { op: 'POST /api/v1/conversations/{id}/assign', call: api('POST', () => `/conversations/${w.conversationId}/assign`, () => ({ userId: null })) },
  { op: 'POST /api/v1/conversations/{id}/awaiting-answer/take-over', call: api('POST', () => `/conversations/${w.conversationId}/awaiting-answer/take-over`, () => ({})) },
  { op: 'POST /api/v1/conversations/{id}/seen', call: api('POST', () => `/conversations/${w.conversationId}/seen`) },
  { op: 'POST /api/v1/auth/inbox-code', call: api('POST', () => '/auth/inbox-code') },
  {
    op: 'POST /api/v1/auth/inbox-session', call: async () => {
      const { code } = ok(await admin().post('/auth/inbox-code'), 201);
      return s.request('POST', '/api/v1/auth/inbox-session', { headers: { 'x-inbox-companion': '1' }, body: { code } });
    },
  },
  { op: 'DELETE /api/v1/auth/inbox-session', call: () => s.request('DELETE', '/api/v1/auth/inbox-session') },
  { op: 'POST /api/v1/workflows/{id}/webhook/test', call: api('POST', () => `/workflows/${w.webhookId}/webhook/test`, () => ({ body: { phone: w.phone } })) },
  { op: 'POST /api/v1/workflows/{id}/webhook/regenerate', call: api('POST', () => `/workflows/${w.webhookId}/webhook/regenerate`) },
  { op: 'POST /api/v1/ads', call: api('POST', () => '/ads', () => adBody('ad_openapi')) },
  {
    op: 'POST /api/v1/ads/accounts', call: async () => {
      const res = await admin().post('/ads/accounts', { adAccountId: 'act_1234', accessToken: 'EAAGadsToken9999' });
      made.adAccountId = res.body?.id;
      return res;
    },
  },
  { op: 'POST /api/v1/ads/accounts/{id}/sync', call: api('POST', () => `/ads/accounts/${made.adAccountId}/sync`) },
  { op: 'DELETE /api/v1/ads/accounts/{id}', call: api('DELETE', () => `/ads/accounts/${made.adAccountId}`) },
  {
    op: 'POST /meta/webhook', call: () => {
      const { raw, ...headers } = signed({ object: 'whatsapp_business_account', entry: [] });
      return s.request('POST', '/meta/webhook', { headers, body: raw });
    },
  },
  {
    op: 'POST /api/v1/channels', call: async () => {
      const res = await admin().post('/channels', { kind: 'whatsapp', name: 'Support', phoneNumberId: WA.phoneNumberId, businessAccountId: WA.businessAccountId, accessToken: WA.token });
      made.channelId = res.body?.id;
      return res;
    },
  },
  { op: 'DELETE /api/v1/channels/{id}', call: api('DELETE', () => `/channels/${made.channelId}`) },
  { op: 'POST /api/v1/workflows', call: api('POST', () => '/workflows', () => shortcutBody('Another')) },
  { op: 'POST /api/v1/workflows/import', call: api('POST', () => '/workflows/import', () => ({ file: shortcutBody('Imported') })) },
  { op: 'POST /api/v1/workflows/{id}/publish', call: api('POST', () => `/workflows/${w.draftId}/publish`) },
  { op: 'POST /api/v1/workflows/{id}/unpublish', call: api('POST', () => `/workflows/${w.draftId}/unpublish`) },
  { op: 'DELETE /api/v1/workflows/{id}', call: api('DELETE', () => `/workflows/${w.doomedId}`) },
  { op: 'POST /api/v1/runs/{id}/retry-now', call: api('POST', () => `/runs/${w.runs.byWebhook}/retry-now`), status: 409 },
  { op: 'POST /api/v1/runs/{id}/cancel', call: api('POST', () => `/runs/${w.runs.byWebhook}/cancel`) },
  { op: 'POST /api/v1/workflows/{id}/runs/cancel', call: api('POST', () => `/workflows/${w.shortcutId}/runs/cancel`) },
  // Runs stay queued here (no workers): a rerun of one is refused as documented; the bulk form finds none failed.
  { op: 'POST /api/v1/runs/{id}/rerun', call: api('POST', () => `/runs/${w.runs.byWebhook}/rerun`), status: 409 },
  { op: 'POST /api/v1/workflows/{id}/runs/rerun', call: api('POST', () => `/workflows/${w.shortcutId}/runs/rerun`, () => ({})) },
  { op: 'POST /api/v1/runs/retry-now', call: api('POST', () => '/runs/retry-now') },
  {
    op: 'POST /api/v1/shortcuts/{id}/launch',
    call: api('POST', () => `/shortcuts/${w.shortcutId}/launch`, () => ({ conversationId: w.conversationId, values: { orderId: 'A9', reason: 'Late' } })),
  },
  { op: 'POST /api/v1/apps', call: api('POST', () => '/apps', () => manifest('openapi')) },
  { op: 'POST /api/v1/apps/{id}/signing-secret/rotate', call: api('POST', () => `/apps/${w.appId}/signing-secret/rotate`) },
  { op: 'POST /api/v1/apps/{id}/install', call: api('POST', () => `/apps/${w.installableAppId}/install`, () => ({ authValues: {} })) },
  { op: 'DELETE /api/v1/apps/{id}/install', call: api('DELETE', () => `/apps/${w.uninstallableAppId}/install`) },
  {
    // The uninstall above queued an unsubscribe request (no worker sends it here).
    op: 'POST /api/v1/apps/{id}/deliveries/{deliveryId}/retry', call: async () => {
      const [delivery] = ok(await admin().get(`/apps/${w.uninstallableAppId}`), 200).deliveries;
      return admin().post(`/apps/${w.uninstallableAppId}/deliveries/${delivery.id}/retry`);
    },
  },
  { op: 'DELETE /api/v1/apps/{id}', call: api('DELETE', () => `/apps/${w.deletableAppId}`) },
  {
    op: 'POST /api/v1/apps/{id}/triggers/{triggerKey}',
    call: api('POST', () => `/apps/${w.appId}/triggers/paid`, () => ({ contact: { id: w.contactId }, items: { order: 'A1', total: 12 } }), { token: () => w.tokens.app }),
  },
  { op: 'POST /api/v1/workflows/{id}/start', call: api('POST', () => `/workflows/${made.manualId}/start`, () => ({ contact: { id: w.contactId } })) },
  // After the app's own calls above: a confirmed rotation revokes the key they used.
  { op: 'POST /api/v1/apps/{id}/install/api-key/rotate', call: api('POST', () => `/apps/${w.appId}/install/api-key/rotate`) },
  { op: 'POST /api/v1/apps/{id}/install/api-key/revoke-previous', call: api('POST', () => `/apps/${w.appId}/install/api-key/revoke-previous`) },
  {
    op: 'POST /api/v1/chatwoot/accounts', call: async () => {
      const res = await admin().post('/chatwoot/accounts', { baseUrl: cw.url, accountId: cw.accountId, apiAccessToken: cw.token });
      made.chatwootId = res.body?.id;
      made.chatwootHook = res.body?.webhookUrl;
      return res;
    },
  },
  { op: 'POST /chatwoot/webhook/{token}', call: async () => cw.deliver(made.chatwootHook!, { event: 'webwidget_triggered' }) as Promise<ApiResponse> },
  { op: 'POST /api/v1/chatwoot/accounts/{id}/sync', call: api('POST', () => `/chatwoot/accounts/${made.chatwootId}/sync`) },
  { op: 'DELETE /api/v1/chatwoot/accounts/{id}', call: api('DELETE', () => `/chatwoot/accounts/${made.chatwootId}`) },
  { op: 'POST /api/v1/conversations/{id}/close', call: api('POST', () => `/conversations/${w.conversationId}/close`, () => ({})) },
];

const operations = () => Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ op: `${method.toUpperCase()} ${path}`, path, operation })));
const successes = (o: Operation) => Object.keys(o.responses).filter((c) => /^2\d\d$/.test(c));

describe('/docs/json: the success answers', () => {
  it.each(rows.map((r) => [r.op, r] as const))('%s answers as documented', async (op, row) => {
    const [method, path] = op.split(' ') as [string, string];
    const operation = doc.paths[path]?.[method.toLowerCase()];
    expect(operation, `${op} is in /docs/json`).toBeDefined();
    const res = await row.call();
    if (row.status) {
      expect(res.status, JSON.stringify(res.body)).toBe(row.status);
      ErrorBody.parse(res.body);
      expect(operation!.responses[String(res.status)] ?? operation!.responses.default).toBeDefined();
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    expect(successes(operation!), `${op}: documented success answers`).toContain(String(res.status));
    // 204: no body, and documented without one.
    if (res.status === 204) {
      expect(res.body).toBeUndefined();
      expect(operation!.responses['204']!.content).toBeUndefined();
    }
  });

  it('every POST and DELETE of the document is called above', () => {
    const called = new Set(rows.map((r) => r.op));
    const missing = operations().map((o) => o.op).filter((op) => /^(POST|DELETE) /.test(op) && !called.has(op));
    expect(missing, 'add a row for each').toEqual([]);
  });

  it('every operation documents one success answer with its content, 204 without', () => {
    for (const { op, operation } of operations()) {
      const codes = successes(operation);
      expect(codes.length, `${op}: ${JSON.stringify(Object.keys(operation.responses))}`).toBeGreaterThan(0);
      for (const code of codes) {
        if (code === '204') expect(operation.responses[code]!.content, op).toBeUndefined();
        else expect(operation.responses[code]!.content, `${op} ${code}`).toBeDefined();
      }
    }
  });
});

describe('/docs/json: the errors', () => {
  const errorRef = { $ref: '#/components/schemas/Error' };
  const schemaOf = (o: Operation, code: string) => o.responses[code]?.content?.['application/json']?.schema;

  it('documents the error shape once, as lib/contracts/errors.ts has it', async () => {
    expect(doc.components.schemas.Error).toMatchObject({
      type: 'object', required: ['error'],
      properties: { error: { required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } } } },
    });
    const missing = await s.request('GET', '/api/v1/workflows/wf_nope', { token: s.adminToken });
    expect(missing.status).toBe(404);
    ErrorBody.parse(missing.body);
  });

  it('every operation documents its errors: a default, 429, and 401/403 when it needs a token, 404 with an id, 422 with input', () => {
    for (const { op, path, operation } of operations()) {
      expect(schemaOf(operation, 'default'), `${op} default`).toEqual(errorRef);
      expect(schemaOf(operation, '429'), `${op} 429`).toEqual(errorRef);
      if (!PUBLIC.has(path)) {
        expect(schemaOf(operation, '401'), `${op} 401`).toEqual(errorRef);
        expect(schemaOf(operation, '403'), `${op} 403`).toEqual(errorRef);
      }
      if (path.includes('{')) expect(schemaOf(operation, '404'), `${op} 404`).toEqual(errorRef);
      if (/^(POST|PUT|PATCH) /.test(op)) {
        for (const code of ['400', '415', '422']) expect(schemaOf(operation, code), `${op} ${code}`).toEqual(errorRef);
      }
    }
  });

  it.each([
    ['no token', 'GET', '/api/v1/workflows', undefined, 401],
    ['an agent on an admin route', 'GET', '/api/v1/workflows', 'agent', 403],
    ['a bad body', 'POST', '/api/v1/contacts', 'admin', 422],
  ] as const)('%s: the answer is the documented error', async (_name, method, path, who, status) => {
    const token = who === 'agent' ? w.tokens.agent : who === 'admin' ? s.adminToken : undefined;
    const res = await s.request(method, path, { ...(token ? { token } : {}), ...(method === 'POST' ? { body: { phone: 'not a phone' } } : {}) });
    expect(res.status).toBe(status);
    const operation = doc.paths[path]![method.toLowerCase()]!;
    expect(schemaOf(operation, String(status))).toEqual(errorRef);
    ErrorBody.parse(res.body);
  });
});
