import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatwootStandin, type ChatwootStandin } from '../support/chatwoot-standin';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { publishWebhookWorkflow } from './webhooks/support';

// POST, PUT, PATCH and DELETE under /api/v1 refuse a query parameter they do not take (422
// naming it), as GETs do: ignored, `POST /contacts?firstName=Ana` made a contact without the
// name, and `DELETE /contacts/:id?dryRun=true` erased the contact. Webhook routes outside
// /api/v1 take whatever their providers add.

const APP_SECRET = 'meta-app-secret-for-query-tests';
let server: TestServer;
let cw: ChatwootStandin;
let admin: Api;
beforeAll(async () => {
  cw = await startChatwootStandin();
  server = await startTestServer({
    workers: false,
    env: { META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify', COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0' },
  });
  admin = server.api(server.adminToken);
});
afterAll(async () => { await server?.close(); await cw?.close(); });

const contact = async (firstName: string) => {
  const res = await admin.post('/contacts', { firstName });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const TAKES_BODY = 'this route takes none; send its input as the JSON body';

describe('a write that takes no query parameters refuses one, and does nothing', () => {
  it('POST /contacts?firstName=Ana: told to send it in the body; no contact made', async () => {
    const before = (await admin.get('/contacts')).body.contacts.length;
    const res = await admin.post('/contacts?firstName=Ana', { lastName: 'Lopez' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.message).toContain(`Unknown query parameter firstName: ${TAKES_BODY}`);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'querystring' })]);
    expect((await admin.get('/contacts')).body.contacts).toHaveLength(before);
  });

  it('PATCH /contacts/:id?notify=false: nothing changed', async () => {
    const id = await contact('Bea');
    const res = await admin.patch(`/contacts/${id}?notify=false`, { lastName: 'Changed' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain(`Unknown query parameter notify: ${TAKES_BODY}`);
    expect((await admin.get(`/contacts/${id}`)).body.lastName).toBe('');
  });

  it('DELETE /contacts/:id?dryRun=true: the contact is still there', async () => {
    const id = await contact('Cid');
    const res = await admin.del(`/contacts/${id}?dryRun=true`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Unknown query parameter dryRun: this route takes none');
  });

  it.each([
    ['PUT', '/settings/lifecycle-stages?append=true', { stages: ['Lead'] }, 'append', TAKES_BODY],
    ['POST', '/workflows/import?mode=replace', { file: {} }, 'mode', TAKES_BODY],
    ['POST', '/runs/retry-now?workflowId=wf_1', undefined, 'workflowId', 'this route takes none'],
    ['DELETE', '/auth/inbox-session?all=true', undefined, 'all', 'this route takes none'],
  ] as const)('%s %s', async (method, path, body, key, takes) => {
    const res = await server.request(method, `/api/v1${path}`, { token: server.adminToken, ...(body ? { body } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.message).toContain(`Unknown query parameter ${key}: ${takes}`);
  });

  it('a workflow is neither published nor deleted by a request carrying one', async () => {
    const created = await admin.post('/workflows', { name: 'Draft', trigger: { type: 'manual' }, steps: [] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect((await admin.post(`/workflows/${id}/publish?force=true`)).status).toBe(422);
    expect((await admin.del(`/workflows/${id}?hard=true`)).status).toBe(422);
    expect((await admin.get(`/workflows/${id}`)).body.status).toBe('draft');
  });

  it('the same writes without a query still work', async () => {
    const id = await contact('Dan');
    expect((await admin.patch(`/contacts/${id}`, { lastName: 'Ok' })).status).toBe(200);
    expect((await admin.del(`/contacts/${id}`)).status).toBe(204);
    expect((await admin.put('/settings/lifecycle-stages', { stages: ['Lead'] })).status).toBe(200);
  });
});

describe('routes that take a query or are not under /api/v1', () => {
  it('the two writes with a query schema still take theirs, and name them', async () => {
    const app = await admin.post('/apps', { key: 'queries', name: 'Queries' });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const id = app.body.app.id as string;
    expect((await admin.post(`/apps/${id}/signing-secret/rotate?force=true`)).status).toBe(200);
    const wrong = await admin.post(`/apps/${id}/signing-secret/rotate?forse=true`);
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.message).toContain('Unknown query parameter forse: this route takes force');
    const key = await admin.post(`/apps/${id}/install/api-key/rotate?scope=apply`);
    expect(key.status).toBe(422);
    expect(key.body.error.message).toContain('Unknown query parameter scope: this route takes scopes');
  });

  it('an incoming webhook takes any query parameter its sender adds', async () => {
    const hook = await publishWebhookWorkflow(server);
    const res = await server.request('POST', `${hook.path}?source=shopify&topic=orders%2Fpaid`, { body: { phone: '+34600111222', order: { id: 7 } } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  });

  it('Meta\'s webhook too', async () => {
    const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
    const res = await server.request('POST', '/meta/webhook?app=companion', { body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('and Chatwoot\'s', async () => {
    const connected = await admin.post('/chatwoot/accounts', { baseUrl: cw.url, accountId: cw.accountId, apiAccessToken: cw.token });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    const res = await cw.deliver(`${connected.body.webhookUrl}?account=${cw.accountId}`, { event: 'webwidget_triggered' });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  });
});

describe('every write under /api/v1 without a query of its own, as /docs/json lists them', () => {
  it('refuses ?zz=1 before doing anything (a body it needs, when it needs one, is checked first)', async () => {
    const doc = (await server.request('GET', '/docs/json')).body;
    const writes = Object.entries<any>(doc.paths).flatMap(([path, ops]) => Object.entries<any>(ops)
      .filter(([method, op]) => path.startsWith('/api/v1/') && method !== 'get' && !(op.parameters ?? []).some((p: any) => p.in === 'query'))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, needsBody: !!op.requestBody?.required })));
    expect(writes.length).toBeGreaterThan(50);
    const refused: string[] = [];
    for (const { method, path, needsBody } of writes) {
      // A well-formed id of any kind: path parameters pass, so the query is what is checked.
      const url = path.replace(/\{[^}]+\}/g, 'con_01JAAAAAAAAAAAAAAAAAAAAAAA');
      const res = await server.request(method, `${url}?zz=1`, { token: server.adminToken });
      if (res.status === 422 && /Unknown query parameter zz: this route takes none/.test(res.body.error.message)) refused.push(`${method} ${path}`);
      else if (!needsBody) expect.fail(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(refused.length).toBeGreaterThan(25);
  });
});
