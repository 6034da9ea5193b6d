import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../../lib/extension/api-client';
import { startOlderRelease, type OlderRelease } from '../support/older-release';
import { startTestServer, type TestServer } from '../support/server';

// The extension's API client tells a route its server does not have (the server's own 404 "No
// route …", or a 405 for a method a URL does not take) from an item the server does not have
// (a route's 404 naming it), over real HTTP: the first says which route and to update the server,
// the second keeps the server's words.

let s: TestServer;
let older: OlderRelease;
/** The server behind a proxy at /companion, as some self-hosters publish it. */
let underPath: { url: string; close(): Promise<void> };
let workflowId: string;
const RUN = 'run_01JABCDEFGHJKMNPQRSTVWXYZ0';

beforeAll(async () => {
  s = await startTestServer({ workers: false });
  workflowId = (await s.api(s.adminToken).post('/workflows', { name: 'Kept', trigger: { type: 'manual' }, steps: [] })).body.id;
  older = await startOlderRelease(s, [{ method: 'POST', url: '/api/v1/runs/:id/rerun' }]);
  const proxy = http.createServer((req, res) => {
    const forward = http.request(`${older.url}${(req.url ?? '/').replace(/^\/companion/, '')}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  underPath = {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/companion`,
    close: () => new Promise<void>((resolve) => { proxy.closeAllConnections(); proxy.close(() => resolve()); }),
  };
});
afterAll(async () => {
  await underPath?.close();
  await older?.close();
  await s?.close();
});

const updateServer = (at: string, route: string) => `The companion server at ${at} does not have ${route} yet: update the server to use it.`;

describe('the options page\'s calls (raw answers)', () => {
  it.each([
    ['a route an older release lacks (404 "No route")', () => older.url, 'POST', `/runs/${RUN}/rerun`, 404, 'route_missing', () => updateServer(older.url, 'POST /api/v1/runs/:id/rerun')],
    ['a method a URL does not take (405)', () => s.url, 'PATCH', () => `/workflows/${workflowId}`, 405, 'route_missing', () => updateServer(s.url, 'PATCH /api/v1/workflows/:id')],
    ['the route under a server address with a path', () => underPath.url, 'POST', `/runs/${RUN}/rerun`, 404, 'route_missing', () => updateServer(underPath.url, 'POST /api/v1/runs/:id/rerun')],
    ['a workflow the server does not have', () => older.url, 'GET', '/workflows/wf_missing', 404, 'not_found', () => 'Workflow wf_missing not found'],
    ['a run the current server does not have', () => s.url, 'POST', `/runs/${RUN}/rerun`, 404, 'not_found', () => `Run ${RUN} not found`],
  ])('%s', async (_, at, method, p, status, code, message) => {
    const client = createApiClient({ serverUrl: at(), token: s.adminToken });
    const answer = await client.raw(method, typeof p === 'function' ? p() : p);
    expect(answer).toEqual({ status, body: { error: { code, message: message() } } });
  });
});

describe('the launcher\'s calls (typed, ApiError)', () => {
  it('a route the server lacks is route_missing, saying to update the server', async () => {
    const agent = await s.createUser('agent');
    const client = createApiClient({ serverUrl: underPath.url, token: agent.token });
    const conversation = (await s.api(s.adminToken).post('/conversations', { contactId: (await s.api(s.adminToken).post('/contacts', { firstName: 'Ana' })).body.id })).body.id;
    const withoutTakeOver = await startOlderRelease(s, [{ method: 'POST', url: '/api/v1/conversations/:id/awaiting-answer/take-over' }]);
    try {
      const err = await createApiClient({ serverUrl: withoutTakeOver.url, token: agent.token }).takeOver(conversation, { runId: RUN }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ kind: 'route_missing', status: 404, code: 'route_missing', message: updateServer(withoutTakeOver.url, 'POST /api/v1/conversations/:id/awaiting-answer/take-over') });
    } finally {
      await withoutTakeOver.close();
    }
    // A run it does not have stays not_found (the launcher's toast then reads it as gone).
    await expect(client.run('run_missing')).rejects.toMatchObject({ kind: 'not_found', message: 'Run run_missing not found' });
  });
});
