import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../lib/contracts/scopes';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// The app side of the authorization matrix: an app key holding exactly one scope, against every
// route an app could try. A route answers it only when it declares that very scope; a route
// without a scope (admin and user-only routes) always refuses app keys. GET /me answers every
// key, whatever its scopes (app-me.test.ts).

let server: TestServer;
const keys = new Map<Scope, string>();
let manualId = '';

beforeAll(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const admin = server.api(server.adminToken);
  // Each app's key reaches its server (a sink on loopback) in the subscribe request.
  const appServer = await startAppSink(server);
  for (const scope of SCOPES) {
    const appId = (await admin.post('/apps', { key: `app-${scope.replace('.', '-')}`, name: scope, scopes: [scope], subscribeUrl: appServer.urls.subscribeUrl })).body.app.id;
    const installed = await admin.post(`/apps/${appId}/install`, { authValues: {} });
    expect(installed.status).toBe(201);
    keys.set(scope, lastKey(appServer));
  }
  const manual = await admin.post('/workflows', { name: 'Sub flow', trigger: { type: 'manual' }, steps: [], status: 'published' });
  manualId = manual.body.id;
});
afterAll(async () => server?.close());

interface Fixture { contactId: string; conversationId: string }

async function fixture(): Promise<Fixture> {
  const admin = server.api(server.adminToken);
  const contact = (await admin.post('/contacts', { firstName: 'Matrix', tags: ['vip'] })).body;
  const conversation = (await admin.post('/conversations', { contactId: contact.id })).body;
  return { contactId: contact.id, conversationId: conversation.id };
}

type Row = [method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: (f: Fixture) => string, body: ((f: Fixture) => unknown) | undefined, scope: Scope | null];

const ROUTES: Row[] = [
  ['GET', () => '/contacts', undefined, 'contacts.read'],
  ['GET', (f) => `/contacts/${f.contactId}`, undefined, 'contacts.read'],
  ['GET', () => '/fields', undefined, 'contacts.read'],
  ['POST', () => '/contacts', () => ({ firstName: 'New' }), 'contacts.write'],
  ['PATCH', (f) => `/contacts/${f.contactId}`, () => ({ lastName: 'Changed' }), 'contacts.write'],
  ['POST', (f) => `/contacts/${f.contactId}/tags`, () => ({ tags: ['paid'] }), 'tags.write'],
  ['DELETE', (f) => `/contacts/${f.contactId}/tags/vip`, undefined, 'tags.write'],
  ['GET', () => '/tags', undefined, 'tags.read'],
  ['GET', (f) => `/contacts/${f.contactId}/tags`, undefined, 'tags.read'],
  ['POST', () => `/workflows/${manualId}/start`, (f) => ({ contact: { id: f.contactId }, variables: { orderId: 'A-1' } }), 'workflows.start'],
  ['GET', () => '/conversations', undefined, 'conversations.read'],
  ['GET', (f) => `/conversations/${f.conversationId}`, undefined, 'conversations.read'],
  ['POST', (f) => `/conversations/${f.conversationId}/close`, () => ({}), 'conversations.write'],
  ['POST', (f) => `/conversations/${f.conversationId}/assign`, () => ({ userId: null }), 'conversations.write'],
  ['POST', (f) => `/conversations/${f.conversationId}/messages`, () => ({ text: 'Hello' }), 'messages.write'],
  ['GET', () => '/users', undefined, null],
  ['POST', () => '/users', () => ({ name: 'X', email: `x${Date.now()}@t.local`, role: 'agent' }), null],
  ['GET', () => '/apps', undefined, null],
  ['GET', () => '/workflows', undefined, null],
  ['GET', () => '/settings/restrictions', undefined, null],
  ['PUT', () => '/settings/closing-categories', () => ({ categories: ['x'] }), null],
];

const cases = SCOPES.flatMap((scope) => ROUTES.map(([method, path, body, needs]) => ({
  scope, method, path, body, needs,
  label: path({ contactId: ':id', conversationId: ':id' }),
  verdict: needs === scope ? 'allowed' : 'refused',
})));

describe('app key scope × route', () => {
  it.each(cases)('a $scope key: $method $label is $verdict', async ({ scope, method, path, body, needs }) => {
    const f = await fixture();
    const payload = body?.(f);
    const res = await server.request(method, `/api/v1${path(f)}`, { token: keys.get(scope)!, ...(payload !== undefined ? { body: payload } : {}) });
    if (needs === scope) {
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    } else {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.message).toMatch(needs ? `lacks the ${needs} scope` : 'App API keys cannot call this endpoint');
    }
  });
});

describe('app-only routes', () => {
  it('refuse user tokens of every role', async () => {
    const admin = server.api(server.adminToken);
    const appId = (await admin.get('/apps')).body.apps[0].id;
    for (const role of ['agent', 'supervisor', 'admin'] as const) {
      const token = role === 'admin' ? server.adminToken : (await server.createUser(role)).token;
      const res = await server.api(token).post(`/apps/${appId}/triggers/x`, { contact: { id: 'c' }, items: {} });
      expect(res.status).toBe(403);
    }
  });
});
