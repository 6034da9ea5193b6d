import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { openSse } from '../support/sse';
import { startTestServer, type TestServer } from '../support/server';
import { adBody, buildWorld, manifest, ok, shortcutBody, webhookBody, type World } from './api-fixtures';

/**
 * Role × endpoint for the engine, shortcuts, live stream, ads, mini-apps and settings routes
 * (authorization.test.ts covers users, contacts and conversations). Every row sends a valid
 * body, so the status says what the caller may do, not what was wrong with the request.
 * Rows run in order against one workspace: a row that consumes something (delete, install)
 * has its own fixture, and only the callers allowed through ever reach the handler.
 */
type Who = 'none' | 'bad' | 'revoked' | 'revokedApp' | 'app' | 'agent' | 'restricted' | 'supervisor' | 'admin';
const WHO: Who[] = ['none', 'bad', 'revoked', 'revokedApp', 'app', 'agent', 'restricted', 'supervisor', 'admin'];
type Least = 'agent' | 'supervisor' | 'admin' | 'appOnly';

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: (w: World) => string;
  body?: (w: World) => unknown;
  /** Least role that may call it; `appOnly`: only the app's own key. */
  role: Least;
  ok: number;
  /** What a caller gets when it passes the role check but the handler refuses it anyway. */
  except?: Partial<Record<Who, number>>;
}

let seq = 0;
const launchBody = (w: World) => ({ conversationId: w.conversationId, values: { orderId: `A${++seq}`, reason: 'Damaged' } });
const routes: Route[] = [
  { name: 'POST /workflows', method: 'POST', path: () => '/workflows', body: () => shortcutBody(`New ${++seq}`), role: 'admin', ok: 201 },
  { name: 'GET /workflows', method: 'GET', path: () => '/workflows', role: 'admin', ok: 200 },
  { name: 'GET /workflows/:id', method: 'GET', path: (w) => `/workflows/${w.shortcutId}`, role: 'admin', ok: 200 },
  { name: 'PUT /workflows/:id', method: 'PUT', path: (w) => `/workflows/${w.draftId}`, body: () => shortcutBody('Draft edited'), role: 'admin', ok: 200 },
  { name: 'POST /workflows/:id/publish', method: 'POST', path: (w) => `/workflows/${w.draftId}/publish`, role: 'admin', ok: 200 },
  { name: 'POST /workflows/:id/unpublish', method: 'POST', path: (w) => `/workflows/${w.draftId}/unpublish`, role: 'admin', ok: 200 },
  { name: 'DELETE /workflows/:id', method: 'DELETE', path: (w) => `/workflows/${w.doomedId}`, role: 'admin', ok: 204 },
  // The run history: supervisors read it too (what their agents ran), read-only.
  { name: 'GET /workflows/:id/runs', method: 'GET', path: (w) => `/workflows/${w.shortcutId}/runs`, role: 'supervisor', ok: 200 },
  // Agents follow the runs they launched; any other run is not theirs to know of. Supervisors read every run.
  { name: 'GET /runs/:id (launched by the agent)', method: 'GET', path: (w) => `/runs/${w.runs.byAgent}`, role: 'agent', ok: 200, except: { restricted: 404 } },
  { name: 'GET /runs/:id (launched by the supervisor)', method: 'GET', path: (w) => `/runs/${w.runs.bySupervisor}`, role: 'agent', ok: 200, except: { agent: 404, restricted: 404 } },
  { name: 'GET /runs/:id (started by a webhook)', method: 'GET', path: (w) => `/runs/${w.runs.byWebhook}`, role: 'agent', ok: 200, except: { agent: 404, restricted: 404 } },
  { name: 'GET /runs/:id (unknown)', method: 'GET', path: () => '/runs/run_nope', role: 'agent', ok: 404 },
  // Supervisors too, as a workflow's runs' cancel below; the supervisor's row stops it, so the admin's finds it ended.
  { name: 'POST /runs/:id/cancel', method: 'POST', path: (w) => `/runs/${w.runs.byWebhook}/cancel`, role: 'supervisor', ok: 200, except: { admin: 409 } },
  // Stopping a workflow's runs together is the supervisors' brake too (a workflow with no runs: nothing else changes).
  { name: 'GET /workflows/:id/runs/unfinished', method: 'GET', path: (w) => `/workflows/${w.draftId}/runs/unfinished`, role: 'supervisor', ok: 200 },
  { name: 'POST /workflows/:id/runs/cancel', method: 'POST', path: (w) => `/workflows/${w.draftId}/runs/cancel`, body: () => ({}), role: 'supervisor', ok: 200 },
  { name: 'POST /workflows/:id/webhook/test', method: 'POST', path: (w) => `/workflows/${w.webhookId}/webhook/test`, body: (w) => ({ body: { phone: w.phone, order: { id: 1 } } }), role: 'admin', ok: 200 },
  { name: 'POST /workflows/:id/webhook/test (unsaved trigger)', method: 'POST', path: (w) => `/workflows/${w.shortcutId}/webhook/test`, body: (w) => ({ body: { phone: w.phone }, trigger: webhookBody().trigger }), role: 'admin', ok: 200 },
  { name: 'POST /workflows/:id/webhook/regenerate', method: 'POST', path: (w) => `/workflows/${w.webhookId}/webhook/regenerate`, role: 'admin', ok: 200 },
  { name: 'GET /shortcuts', method: 'GET', path: () => '/shortcuts', role: 'agent', ok: 200 },
  { name: 'POST /shortcuts/:id/launch', method: 'POST', path: (w) => `/shortcuts/${w.shortcutId}/launch`, body: launchBody, role: 'agent', ok: 202, except: { restricted: 403 } },
  { name: 'GET /ads', method: 'GET', path: () => '/ads', role: 'agent', ok: 200 },
  { name: 'POST /ads', method: 'POST', path: () => '/ads', body: () => adBody(`ad_${++seq}`), role: 'admin', ok: 201 },
  { name: 'POST /apps', method: 'POST', path: () => '/apps', body: () => manifest(`new-${++seq}`), role: 'admin', ok: 201 },
  { name: 'GET /apps', method: 'GET', path: () => '/apps', role: 'admin', ok: 200 },
  { name: 'GET /apps/:id', method: 'GET', path: (w) => `/apps/${w.appId}`, role: 'admin', ok: 200 },
  { name: 'PUT /apps/:id', method: 'PUT', path: (w) => `/apps/${w.appId}`, body: () => manifest('world'), role: 'admin', ok: 200 },
  { name: 'DELETE /apps/:id', method: 'DELETE', path: (w) => `/apps/${w.deletableAppId}`, role: 'admin', ok: 204 },
  { name: 'POST /apps/:id/signing-secret/rotate', method: 'POST', path: (w) => `/apps/${w.appId}/signing-secret/rotate`, role: 'admin', ok: 200 },
  { name: 'POST /apps/:id/install', method: 'POST', path: (w) => `/apps/${w.installableAppId}/install`, body: () => ({ authValues: {} }), role: 'admin', ok: 201 },
  { name: 'DELETE /apps/:id/install', method: 'DELETE', path: (w) => `/apps/${w.uninstallableAppId}/install`, role: 'admin', ok: 204 },
  { name: 'POST /apps/:id/triggers/:key', method: 'POST', path: (w) => `/apps/${w.appId}/triggers/paid`, body: (w) => ({ contact: { id: w.contactId }, items: { order: 'A1', total: 12 } }), role: 'appOnly', ok: 202 },
  // Also in authorization.test.ts; repeated here so every admin-only settings route sits in one table.
  { name: 'PUT /fields/:key', method: 'PUT', path: () => '/fields/order_id', body: () => ({ label: 'Order', type: 'text' }), role: 'admin', ok: 200 },
  { name: 'DELETE /fields/:key', method: 'DELETE', path: () => '/fields/existing', role: 'admin', ok: 204 },
  { name: 'PUT /settings/closing-categories', method: 'PUT', path: () => '/settings/closing-categories', body: () => ({ categories: ['Done', 'Refunded'] }), role: 'admin', ok: 200 },
];

const RANK = { agent: 0, restricted: 0, supervisor: 1, admin: 2 } as const;
const LEAST = { agent: 0, supervisor: 1, admin: 2, appOnly: 3 } as const;
function expected(r: Route, who: Who): number {
  if (who === 'none' || who === 'bad' || who === 'revoked' || who === 'revokedApp') return 401;
  if (who === 'app') return r.role === 'appOnly' ? r.ok : 403;
  if (RANK[who] < LEAST[r.role]) return 403;
  return r.except?.[who] ?? r.ok;
}
const CODES: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'run_ended' };

let s: TestServer;
let world: World;
const tokenOf = (who: Who): string | undefined => {
  if (who === 'none') return undefined;
  if (who === 'bad') return 'ict_not-a-real-token';
  return world.tokens[who];
};

beforeAll(async () => {
  // The world's apps' server listens on loopback (api-fixtures).
  s = await startTestServer({ workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  world = await buildWorld(s);
});
afterAll(async () => { await s?.close(); });

describe('authorization matrix: engine, shortcuts, ads, apps, settings', () => {
  const table = routes.flatMap((r) => WHO.map((who) => [r.name, who, expected(r, who), r] as const));

  it.each(table)('%s as %s → %i', async (_name, who, status, route) => {
    const token = tokenOf(who);
    const res = await s.request(route.method, `/api/v1${route.path(world)}`, {
      ...(token !== undefined ? { token } : {}),
      ...(route.body ? { body: route.body(world) } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status >= 400) {
      expect(ErrorBody.parse(res.body).error.code).toBe(CODES[status]);
      if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it.each([
    ['agent', true], ['restricted', false], ['supervisor', true], ['admin', true],
  ] as const)('GET /shortcuts tells %s whether they may launch (allowed: %s)', async (who, allowed) => {
    const body = ok(await s.api(tokenOf(who)).get('/shortcuts'), 200);
    expect(body.allowed).toBe(allowed);
    expect(body.shortcuts.map((x: { id: string }) => x.id)).toContain(world.shortcutId);
  });

  it('an app key may not fire another app\'s trigger', async () => {
    const other = ok(await s.api(s.adminToken).post('/apps', manifest('someone-else')), 201).app.id;
    const res = await s.api(world.tokens.app).post(`/apps/${other}/triggers/paid`, { contact: { id: world.contactId }, items: {} });
    expect(res.status).toBe(403);
    expect(ErrorBody.parse(res.body).error.message).toMatch(/This API key belongs to app app_\w+, not /);
  });
});

describe('authorization matrix: GET /events/stream', () => {
  const STREAM: Record<Who, number> = { none: 401, bad: 401, revoked: 401, revokedApp: 401, app: 403, agent: 200, restricted: 200, supervisor: 200, admin: 200 };
  const table = (['query', 'bearer'] as const).flatMap((how) => WHO.map((who) => [how, who, STREAM[who]] as const));

  it.each(table)('token as %s, %s → %i', async (how, who, status) => {
    const token = tokenOf(who);
    const query = how === 'query' && token ? `?token=${encodeURIComponent(token)}` : '';
    const headers: Record<string, string> = how === 'bearer' && token ? { authorization: `Bearer ${token}` } : {};
    const sse = await openSse(`${s.url}/api/v1/events/stream${query}`, headers);
    try {
      expect(sse.status).toBe(status);
      if (status === 200) {
        expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
        await sse.waitFor(/: connected/);
      } else {
        await sse.waitFor(/"code":"(unauthorized|forbidden)"/);
      }
    } finally {
      sse.close();
    }
  });
});
