import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphErrors, startGraphStandIn, type GraphStandIn } from '../../support/graph-standin';
import { startTestServer, type TestServer } from '../../support/server';

let graph: GraphStandIn;
let server: TestServer;
beforeEach(async () => {
  graph = await startGraphStandIn();
  graph.addPhoneNumber({ id: '106540352242922', token: 'EAAGwaToken1234WXYZ', displayPhoneNumber: '+1 555-078-3881', verifiedName: 'Acme Support', businessAccountId: '102290129340398' });
  graph.addPage({ id: '682498302938465', token: 'EAAGpageToken5678ABCD', name: 'Acme Store' });
  server = await startTestServer({ env: { META_GRAPH_URL: graph.url } });
});
afterEach(async () => { await server.close(); await graph.close(); });

const whatsapp = { kind: 'whatsapp', name: 'Support line', phoneNumberId: '106540352242922', businessAccountId: '102290129340398', accessToken: 'EAAGwaToken1234WXYZ' };
const page = { kind: 'messenger', name: 'Store page', pageId: '682498302938465', pageAccessToken: 'EAAGpageToken5678ABCD' };

describe('/api/v1/channels', () => {
  it('connects a WhatsApp number (the number, then its Business Account) and a Page (one Graph call); tokens are sealed and never returned', async () => {
    const admin = server.api(server.adminToken);
    const wa = await admin.post('/channels', whatsapp);
    expect(wa.status, JSON.stringify(wa.body)).toBe(201);
    expect(wa.body).toMatchObject({ kind: 'whatsapp', name: 'Support line', displayName: 'Acme Support (+1 555-078-3881)', phoneNumberId: '106540352242922', tokenLastFour: '••••WXYZ' });
    const fb = await admin.post('/channels', page);
    expect(fb.status).toBe(201);
    expect(fb.body).toMatchObject({ kind: 'messenger', displayName: 'Acme Store', tokenLastFour: '••••ABCD' });
    expect(graph.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v21.0/106540352242922', 'GET /v21.0/102290129340398/phone_numbers', 'GET /v21.0/682498302938465']);

    const list = await admin.get('/channels');
    expect(list.body.channels.map((c: { name: string }) => c.name)).toEqual(['Support line', 'Store page']);
    expect(JSON.stringify(list.body)).not.toContain('EAAGwaToken1234WXYZ');
    const row = await server.store.db.selectFrom('connections').select('secrets').where('id', '=', wa.body.id).executeTakeFirstOrThrow();
    expect(row.secrets).not.toContain('EAAGwaToken');

    expect((await admin.post('/channels', whatsapp)).status).toBe(409);
    expect((await admin.del(`/channels/${wa.body.id}`)).status).toBe(204);
    expect((await admin.get('/channels')).body.channels).toHaveLength(1);
  });

  it.each([
    ['a wrong token', { ...whatsapp, accessToken: 'EAAGwrongToken0000' }, /Meta error 190 \(OAuthException\): Invalid OAuth access token/, 'body.accessToken'],
    ['an unknown Page', { ...page, pageId: '999' }, /Meta error 100\/33.*Object with ID '999' does not exist/, 'body.pageId'],
  ])('%s: 422 with Meta’s message and code, nothing saved', async (_name, body, message, path) => {
    const admin = server.api(server.adminToken);
    const res = await admin.post('/channels', body);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.details[0].path).toBe(path);
    expect((await admin.get('/channels')).body.channels).toEqual([]);
  });

  it('a throttled verification is retried once; a Graph outage answers 502 saying nothing was saved', async () => {
    const admin = server.api(server.adminToken);
    graph.failNext(graphErrors.throttled(0));
    expect((await admin.post('/channels', whatsapp)).status).toBe(201);
    graph.failNext(graphErrors.serverError(), graphErrors.serverError());
    const res = await admin.post('/channels', page);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/could not be checked, nothing was saved: Meta error 2 .*unexpected error/);
    expect((await admin.get('/channels')).body.channels).toHaveLength(1);
  });

  it.each([
    ['a non-numeric phone number id', { ...whatsapp, phoneNumberId: 'abc' }, 'phoneNumberId'],
    ['a token with spaces', { ...whatsapp, accessToken: 'EAAG token with spaces' }, 'accessToken'],
    ['an empty name', { ...page, name: '  ' }, 'name'],
    ['an unknown kind', { ...page, kind: 'telegram' }, 'kind'],
  ])('%s is refused with a 4xx naming the field, before any Graph call', async (_n, body, field) => {
    const res = await server.api(server.adminToken).post('/channels', body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body.error)).toContain(field);
    expect(graph.requests).toHaveLength(0);
  });

  it('only admins manage channels', async () => {
    const { token } = await server.createUser('supervisor');
    expect((await server.api(token).get('/channels')).status).toBe(403);
    expect((await server.api(token).post('/channels', page)).status).toBe(403);
  });
});

describe('who may manage channels and ad accounts', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/channels'], ['POST', '/channels', page], ['DELETE', '/channels/chn_x'],
    ['GET', '/ads/accounts'], ['POST', '/ads/accounts', { adAccountId: 'act_1', accessToken: 'EAAGtoken000000' }], ['DELETE', '/ads/accounts/ads_x'],
    ['POST', '/ads/accounts/ads_x/sync'], ['GET', '/ads/workflow-warnings'],
  ];
  it.each(routes)('%s %s: 401 without a token, 403 for agents and supervisors', async (method, path, body) => {
    const agent = (await server.createUser('agent')).token;
    const supervisor = (await server.createUser('supervisor')).token;
    expect((await server.request(method, `/api/v1${path}`, body ? { body } : {})).status).toBe(401);
    for (const token of [agent, supervisor]) {
      expect((await server.request(method, `/api/v1${path}`, { token, ...(body ? { body } : {}) })).status).toBe(403);
    }
    expect(graph.requests).toHaveLength(0);
  });
});
