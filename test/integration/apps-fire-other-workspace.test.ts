import { afterEach, expect, it } from 'vitest';
import { startAppSink, type AppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// One app's server installed in two workspaces (two companions): each registers the manifest
// under its own app id. A developer who fires with the app id of one and the key of the other
// got "Only the API key of this app's installation may fire its triggers", which says nothing of
// which id goes with the key. Now the 403 names it; the right pair fires.

const open: { close(): Promise<void> }[] = [];
afterEach(async () => { for (const o of open.splice(0).reverse()) await o.close(); });

async function workspace(sink: AppSink): Promise<{ server: TestServer; appId: string; key: string }> {
  const server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  open.push(server);
  const admin = server.api(server.adminToken);
  const registered = await admin.post('/apps', {
    key: 'payments', name: 'Payments', scopes: ['contacts.read'], ...sink.urls,
    fields: [{ key: 'status', label: 'Status', type: 'text' }], triggers: [{ key: 'paid', name: 'Paid', items: ['status'] }],
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const appId = registered.body.app.id as string;
  expect((await admin.post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);
  expect((await admin.post('/contacts', { firstName: 'Ana', phone: '+14155550111' })).status).toBe(201);
  const subscribe = sink.received.filter((r) => r.path === '/subscribe').at(-1)!.body;
  expect(subscribe.appId).toBe(appId);
  return { server, appId, key: subscribe.apiKey as string };
}

it('a key fired with another workspace\'s app id is told the app id that goes with it', async () => {
  const sink = await startAppSink();
  open.push(sink);
  const first = await workspace(sink);
  const second = await workspace(sink);
  expect(second.appId).not.toBe(first.appId);

  const body = { contact: { phone: '+14155550111' }, items: { status: 'paid' } };
  const wrong = await second.server.api(second.key).post(`/apps/${first.appId}/triggers/paid`, body);
  expect(wrong.status).toBe(403);
  expect(wrong.body.error.message).toBe(`This API key belongs to app ${second.appId}, not ${first.appId}: fire its triggers at POST /api/v1/apps/${second.appId}/triggers/paid, `
    + 'with the appId of the subscribe request that brought the key (each workspace registers the app under its own id)');

  const right = await second.server.api(second.key).post(`/apps/${second.appId}/triggers/paid`, body);
  expect(right.status, JSON.stringify(right.body)).toBe(202);
});

it('the route\'s 403 says so in GET /docs/json', async () => {
  const server = await startTestServer();
  open.push(server);
  const doc = (await server.request('GET', '/docs/json')).body as { paths: Record<string, { post: { responses: Record<string, { description: string }> } }> };
  expect(doc.paths['/api/v1/apps/{id}/triggers/{triggerKey}']!.post.responses['403']!.description).toContain('is told the id that goes with it');
});
