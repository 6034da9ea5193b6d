import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCOPES } from '../../lib/contracts/scopes';
import { findToken, issueToken, revokeToken } from '../../server/auth/tokens';
import { newId, nowIso } from '../../server/ids';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Role × endpoint for every route of users, contacts and conversations. Each route builds
 * what it needs (a contact, an open conversation) with the admin, then calls as each principal.
 */
type Who = 'none' | 'bad' | 'revoked' | 'deactivated' | 'agent' | 'supervisor' | 'admin' | 'app';
/** `otherId`: a second agent, whom no caller is (a user may renew only their own token). */
interface Fixture { contactId: string; conversationId: string; agentId: string; otherId: string }
interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** Least role that may call it. */
  role: 'agent' | 'supervisor' | 'admin';
  ok: number;
  /** Whether a mini-app key (with every scope) may call it. */
  app: boolean;
}

let seq = 0;
const routes: Route[] = [
  // An app key reads who it is (the app, its installation, its scopes): app-me.test.ts.
  { name: 'GET /me', method: 'GET', path: () => '/me', role: 'agent', ok: 200, app: true },
  { name: 'POST /users', method: 'POST', path: () => '/users', body: () => ({ name: 'New', email: `new${++seq}@x.test`, role: 'agent' }), role: 'admin', ok: 201, app: false },
  { name: 'GET /users', method: 'GET', path: () => '/users', role: 'supervisor', ok: 200, app: false },
  // Names for everyone signed in (who a conversation is assigned to, who replied); emails stay above.
  { name: 'GET /teammates', method: 'GET', path: () => '/teammates', role: 'agent', ok: 200, app: false },
  { name: 'GET /settings/restrictions', method: 'GET', path: () => '/settings/restrictions', role: 'supervisor', ok: 200, app: false },
  { name: 'PATCH /settings/restrictions', method: 'PATCH', path: () => '/settings/restrictions', body: () => ({ agentsCanUseShortcuts: false }), role: 'supervisor', ok: 200, app: false },
  { name: 'PATCH /users/:id', method: 'PATCH', path: (f) => `/users/${f.otherId}`, body: () => ({ name: 'Renamed', role: 'supervisor' }), role: 'admin', ok: 200, app: false },
  { name: 'PATCH /users/:id (deactivate)', method: 'PATCH', path: (f) => `/users/${f.otherId}`, body: () => ({ active: false }), role: 'admin', ok: 200, app: false },
  { name: 'DELETE /users/:id', method: 'DELETE', path: (f) => `/users/${f.otherId}`, role: 'admin', ok: 200, app: false },
  { name: 'POST /users/:id/token', method: 'POST', path: (f) => `/users/${f.otherId}/token`, role: 'admin', ok: 200, app: false },
  { name: 'PATCH /users/:id/restrictions', method: 'PATCH', path: (f) => `/users/${f.agentId}/restrictions`, body: () => ({ shortcutsEnabled: false }), role: 'supervisor', ok: 200, app: false },
  { name: 'POST /contacts', method: 'POST', path: () => '/contacts', body: () => ({ firstName: 'X' }), role: 'agent', ok: 201, app: true },
  { name: 'GET /contacts', method: 'GET', path: () => '/contacts', role: 'agent', ok: 200, app: true },
  { name: 'GET /contacts/:id', method: 'GET', path: (f) => `/contacts/${f.contactId}`, role: 'agent', ok: 200, app: true },
  { name: 'PATCH /contacts/:id', method: 'PATCH', path: (f) => `/contacts/${f.contactId}`, body: () => ({ lastName: 'Y' }), role: 'agent', ok: 200, app: true },
  { name: 'POST /contacts/:id/tags', method: 'POST', path: (f) => `/contacts/${f.contactId}/tags`, body: () => ({ tags: ['t'] }), role: 'agent', ok: 200, app: true },
  { name: 'DELETE /contacts/:id/tags/:tag', method: 'DELETE', path: (f) => `/contacts/${f.contactId}/tags/t`, role: 'agent', ok: 200, app: true },
  { name: 'DELETE /contacts/:id', method: 'DELETE', path: (f) => `/contacts/${f.contactId}`, role: 'admin', ok: 204, app: false },
  { name: 'GET /fields', method: 'GET', path: () => '/fields', role: 'agent', ok: 200, app: true },
  { name: 'PUT /fields/:key', method: 'PUT', path: () => '/fields/order_id', body: () => ({ label: 'Order', type: 'text' }), role: 'admin', ok: 200, app: false },
  { name: 'DELETE /fields/:key', method: 'DELETE', path: () => '/fields/existing', role: 'admin', ok: 204, app: false },
  { name: 'POST /conversations', method: 'POST', path: () => '/conversations', body: (f) => ({ contactId: f.contactId }), role: 'agent', ok: 201, app: true },
  { name: 'GET /conversations', method: 'GET', path: () => '/conversations?status=open', role: 'agent', ok: 200, app: true },
  { name: 'GET /conversations?assigneeId=none', method: 'GET', path: () => '/conversations?status=open&assigneeId=none', role: 'agent', ok: 200, app: true },
  { name: 'GET /conversations/:id', method: 'GET', path: (f) => `/conversations/${f.conversationId}`, role: 'agent', ok: 200, app: true },
  { name: 'GET /conversations/:id/awaiting-answer', method: 'GET', path: (f) => `/conversations/${f.conversationId}/awaiting-answer`, role: 'agent', ok: 200, app: true },
  { name: 'POST /conversations/:id/awaiting-answer/take-over', method: 'POST', path: (f) => `/conversations/${f.conversationId}/awaiting-answer/take-over`, body: () => ({}), role: 'agent', ok: 200, app: false },
  { name: 'POST /conversations/:id/close', method: 'POST', path: (f) => `/conversations/${f.conversationId}/close`, body: () => ({}), role: 'agent', ok: 200, app: true },
  { name: 'POST /conversations/:id/messages', method: 'POST', path: (f) => `/conversations/${f.conversationId}/messages`, body: () => ({ text: 'hi' }), role: 'agent', ok: 201, app: true },
  { name: 'POST /conversations/:id/assign', method: 'POST', path: (f) => `/conversations/${f.conversationId}/assign`, body: (f) => ({ userId: f.agentId }), role: 'agent', ok: 200, app: true },
  { name: 'GET /settings/closing-categories', method: 'GET', path: () => '/settings/closing-categories', role: 'agent', ok: 200, app: false },
  { name: 'PUT /settings/closing-categories', method: 'PUT', path: () => '/settings/closing-categories', body: () => ({ categories: ['Done'] }), role: 'admin', ok: 200, app: false },
];

const RANK = { agent: 0, supervisor: 1, admin: 2 } as const;
const WHO: Who[] = ['none', 'bad', 'revoked', 'deactivated', 'app', 'agent', 'supervisor', 'admin'];
const expected = (r: Route, who: Who) => {
  if (who === 'none' || who === 'bad' || who === 'revoked' || who === 'deactivated') return 401;
  if (who === 'app') return r.app ? r.ok : 403;
  return RANK[who] >= RANK[r.role] ? r.ok : 403;
};
const table = routes.flatMap((r) => WHO.map((who) => [r.name, who, expected(r, who), r] as const));

describe('authorization matrix', () => {
  let s: TestServer;
  let tokens: Record<Who, string | undefined>;
  let fixture: Fixture;

  beforeEach(async () => {
    s = await startTestServer({ workers: false });
    const admin = s.api(s.adminToken);
    const agent = await s.createUser('agent');
    const supervisor = await s.createUser('supervisor');
    const revoked = await s.createUser('admin');
    await revokeToken(s.store.db, (await findToken(s.store.db, revoked.token))!.id);
    // An admin deactivated by another: their token is refused everywhere (401), whatever their role was.
    const deactivated = await s.createUser('admin');
    expect((await admin.patch(`/users/${deactivated.user.id}`, { active: false })).status).toBe(200);
    const other = await s.createUser('agent');
    tokens = { none: undefined, bad: 'ict_not-a-real-token', revoked: revoked.token, deactivated: deactivated.token, agent: agent.token, supervisor: supervisor.token, admin: s.adminToken, app: await appKey(s) };
    const contact = await admin.post('/contacts', { firstName: 'Fixture' });
    const otherContact = await admin.post('/contacts', { firstName: 'Other' });
    const conversation = await admin.post('/conversations', { contactId: contact.body.id });
    expect((await admin.put('/fields/existing', { label: 'Existing', type: 'text' })).status).toBe(200);
    // The contact routes use one without an open conversation, so POST /conversations can succeed.
    fixture = { contactId: otherContact.body.id, conversationId: conversation.body.id, agentId: agent.user.id, otherId: other.user.id };
  });
  afterEach(async () => { await s.close(); });

  it.each(table)('%s as %s → %i', async (_name, who, status, route) => {
    const res = await s.request(route.method, `/api/v1${route.path(fixture)}`, {
      ...(tokens[who] !== undefined ? { token: tokens[who] } : {}),
      ...(route.body ? { body: route.body(fixture) } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status >= 400) {
      expect(res.body.error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
      if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    if (who === 'deactivated') expect(res.body.error.message).toMatch(/account has been deactivated/);
  });

  it.each(['agent', 'supervisor', 'admin'] as const)('a%s may renew their own token (and no one else\'s unless admin)', async (role) => {
    const self = role === 'admin' ? await s.createUser('admin') : await s.createUser(role);
    const own = await s.api(self.token).post(`/users/${self.user.id}/token`);
    expect(own.status).toBe(200);
    expect((await s.api(self.token).get('/me')).status).toBe(401);
    const next = s.api(own.body.token);
    expect((await next.get('/me')).body.user.id).toBe(self.user.id);
    expect((await next.post(`/users/${fixture.otherId}/token`)).status).toBe(role === 'admin' ? 200 : 403);
  });

  it.each([
    ['agent', 403], ['supervisor', 200], ['admin', 200],
  ] as const)('%s changing restrictions gets %i and the change sticks only when allowed', async (role, status) => {
    const target = await s.createUser('agent');
    const caller = s.api(role === 'admin' ? s.adminToken : (await s.createUser(role)).token);
    expect((await caller.patch('/settings/restrictions', { agentsCanUseShortcuts: false })).status).toBe(status);
    expect((await caller.patch(`/users/${target.user.id}/restrictions`, { shortcutsEnabled: false })).status).toBe(status);
    const me = await s.api(target.token).get('/me');
    expect(me.body.user.shortcutsEnabled).toBe(status !== 200);
    expect(me.body.permissions.launchShortcuts).toBe(status !== 200);
  });

  it.each([
    ['agent', { launchShortcuts: true, configure: false, superviseAgents: false }],
    ['supervisor', { launchShortcuts: true, configure: false, superviseAgents: true }],
    ['admin', { launchShortcuts: true, configure: true, superviseAgents: true }],
  ] as const)('/me tells a%s what they may do', async (role, permissions) => {
    const token = role === 'admin' ? s.adminToken : (await s.createUser(role)).token;
    const me = await s.api(token).get('/me');
    expect(me.body).toMatchObject({ user: { role }, permissions });
  });

  it('refuses a token sent in another scheme or malformed header', async () => {
    for (const authorization of [`Basic ${s.adminToken}`, `Bearer`, `Bearer a b`, s.adminToken]) {
      expect((await s.request('GET', '/api/v1/me', { headers: { authorization } })).status).toBe(401);
    }
  });

  it('refuses an app key outside its scopes', async () => {
    const key = await appKey(s, ['contacts.read']);
    const app = s.api(key);
    expect((await app.get('/contacts')).status).toBe(200);
    expect((await app.post('/contacts', { firstName: 'No' })).status).toBe(403);
    expect((await app.get('/conversations')).status).toBe(403);
  });
});

/** A mini-app installation's API key, made directly in the store (the apps feature is tested elsewhere). */
async function appKey(s: TestServer, scopes: readonly string[] = SCOPES): Promise<string> {
  const appId = newId('app');
  const installationId = newId('ins');
  const db = s.store.db;
  await db.insertInto('apps').values({ id: appId, key: `test-${appId}`, manifest: '{}', signing_secret: 'whsec_test', created_at: nowIso() } as never).execute();
  const { id, token } = await issueToken(db, { kind: 'app', installationId, scopes: scopes as never });
  await db.insertInto('installations').values({ id: installationId, app_id: appId, auth_values: '{}', token_id: id, created_at: nowIso() }).execute();
  return token;
}
