import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunListQuery } from '../../lib/contracts/runs';
import { ApiError, createApiClient } from '../../lib/extension/api-client';
import { startOlderRelease, type OlderRelease } from '../support/older-release';
import { startTestServer, type TestServer } from '../support/server';

// The extension's API client tells a route its server does not have (the server's own 404 "No
// route …", or a 405 for a method a URL does not take) from an item the server does not have
// (a route's 404 naming it), over real HTTP: the first says which route and to update the server,
// the second keeps the server's words. A query parameter the server does not take yet (its strict
// query's 422) is said in the same words as a missing route, naming the parameter.

let s: TestServer;
let older: OlderRelease;
/** The server behind a proxy at /companion, as some self-hosters publish it. */
let underPath: { url: string; close(): Promise<void> };
let workflowId: string;
const RUN = 'run_01JABCDEFGHJKMNPQRSTVWXYZ0';

beforeAll(async () => {
  s = await startTestServer({ workers: false });
  workflowId = (await s.api(s.adminToken).post('/workflows', { name: 'Kept', trigger: { type: 'manual' }, steps: [] })).body.id;
  older = await startOlderRelease(s, [
    { method: 'POST', url: '/api/v1/runs/:id/rerun' },
    { method: 'GET', url: '/api/v1/runs', parameters: { absent: ['launchedBy', 'rerunBy'], takes: Object.keys(RunListQuery.shape).filter((k) => k !== 'launchedBy' && k !== 'rerunBy') } },
  ]);
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

const olderThanThis = (at: string, lacks: string) => `The companion server at ${at} is older than this extension: it ${lacks}. Ask whoever runs the companion server to update it.`;
const updateServer = (at: string, route: string) => `The companion server at ${at} is older than this extension: it does not have ${route}. Ask whoever runs the companion server to update it.`;

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

describe('a query parameter the server does not take yet (raw answers)', () => {
  it.each([
    ['one', '/runs?launchedBy=usr_01JABCDEFGHJKMNPQRSTVWXYZ0', 'does not take the “launchedBy” parameter'],
    ['two', '/runs?rerunBy=usr_01JABCDEFGHJKMNPQRSTVWXYZ0&limit=5&launchedBy=usr_01JABCDEFGHJKMNPQRSTVWXYZ0', 'does not take the “rerunBy”, “launchedBy” parameters'],
  ])('%s: the 422 keeps its code and details, its message says the server is older', async (_, p, lacks) => {
    const answer = await createApiClient({ serverUrl: older.url, token: s.adminToken }).raw('GET', p);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: { code: 'invalid_content', message: olderThanThis(older.url, lacks), details: [{ path: 'querystring', message: expect.stringMatching(/^Unknown query parameters? /) }] } });
  });

  it('a parameter the current server refuses for another reason keeps the server\'s words', async () => {
    const answer = await createApiClient({ serverUrl: s.url, token: s.adminToken }).raw('GET', '/runs?limit=0');
    expect(answer.status).toBe(422);
    expect((answer.body as { error: { message: string } }).error.message).toBe('The query string is invalid: querystring.limit: Give limit as a whole number from 1 to 200');
  });
});

describe('the launcher\'s calls (typed, ApiError)', () => {
  it('a parameter the server does not take yet is said as the server being older', async () => {
    const agent = await s.createUser('agent');
    const withoutOrigin = await startOlderRelease(s, [
      { method: 'GET', url: '/api/v1/chatwoot/conversations/resolve', parameters: { absent: ['origin'], takes: ['accountId', 'conversationId'] } },
    ]);
    try {
      const err = await createApiClient({ serverUrl: withoutOrigin.url, token: agent.token })
        .resolveChatwootConversation({ origin: 'https://chat.example.com', accountId: 3, conversationId: 7 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ kind: 'invalid', status: 422, message: olderThanThis(withoutOrigin.url, 'does not take the “origin” parameter') });
    } finally {
      await withoutOrigin.close();
    }
  });

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
