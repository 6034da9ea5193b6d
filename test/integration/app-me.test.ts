import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppMe } from '../../lib/contracts/app-me';
import { Me } from '../../lib/contracts/users';
import { lastKey, startAppSink, type AppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// GET /me with an app's API key answers who the key is: its app, its installation and exactly
// the scopes it holds, so a mini-app checks its own scopes instead of probing routes for 403s
// (it was a 403 "App API keys cannot call this endpoint" for every key).

let server: TestServer;
let sink: AppSink;
beforeEach(async () => {
  server = await startTestServer({ workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  sink = await startAppSink(server);
});
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);
const subscribed = () => [...sink.received].reverse().find((r) => r.path === '/subscribe')!.body;

async function install(key: string, scopes: string[]) {
  const registered = await admin().post('/apps', { key, name: `The ${key} app`, scopes, subscribeUrl: sink.urls.subscribeUrl });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const appId = registered.body.app.id as string;
  expect((await admin().post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);
  return { appId, key: lastKey(sink) };
}

describe('GET /me with an app key', () => {
  it('names the app, its installation and the key\'s exact scopes, as the subscribe request did', async () => {
    const { appId, key } = await install('payments', ['contacts.read', 'tags.write']);
    const sent = subscribed();
    const res = await server.api(key).get('/me');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(AppMe.parse(res.body)).toEqual({
      app: { id: appId, key: 'payments', name: 'The payments app' },
      workspaceId: sent.workspaceId,
      installationId: sent.installationId,
      apiKeyId: sent.apiKeyId,
      scopes: ['contacts.read', 'tags.write'],
      scopesToGrant: [],
      expiresAt: null,
    });
  });

  it('answers a key without any scope too', async () => {
    const { key } = await install('bare', []);
    const res = await server.api(key).get('/me');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ app: { key: 'bare' }, scopes: [], scopesToGrant: [] });
  });

  it('lists the scopes an update asked for that the key does not hold, until the admin grants them', async () => {
    const { appId, key } = await install('growing', ['contacts.read']);
    const wider = { key: 'growing', name: 'The growing app', scopes: ['contacts.read', 'contacts.write'], subscribeUrl: sink.urls.subscribeUrl };
    expect((await admin().put(`/apps/${appId}`, wider)).status).toBe(200);
    expect((await server.api(key).get('/me')).body).toMatchObject({ scopes: ['contacts.read'], scopesToGrant: ['contacts.write'] });

    expect((await admin().post(`/apps/${appId}/install/api-key/rotate?scopes=apply`)).status).toBe(200);
    const granted = subscribed();
    expect((await server.api(granted.apiKey).get('/me')).body).toMatchObject({ apiKeyId: granted.apiKeyId, scopes: ['contacts.read', 'contacts.write'], scopesToGrant: [] });
    // The key it replaced is gone once the app's server took the new one.
    expect((await server.api(key).get('/me')).status).toBe(401);
  });

  it('still refuses a query parameter /me does not take', async () => {
    const { key } = await install('curious', ['contacts.read']);
    const res = await server.api(key).get('/me?scopes=1');
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Unknown query parameter scopes: this route takes none');
  });

  it('keeps app keys off the user routes beside it', async () => {
    const { key } = await install('nosy', ['contacts.read']);
    for (const path of ['/users', '/teammates', '/settings/restrictions']) {
      const res = await server.api(key).get(path);
      expect(res.status, path).toBe(403);
      expect(res.body.error.message, path).toBe('App API keys cannot call this endpoint');
    }
  });
});

describe('GET /me with a user\'s token', () => {
  it('is unchanged: the user and what they may do', async () => {
    const agent = await server.createUser('agent', { name: 'Alex' });
    const res = await server.api(agent.token).get('/me');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['permissions', 'user']);
    expect(Me.parse(res.body).user).toMatchObject({ name: 'Alex', role: 'agent' });
  });

  it('/docs/json documents both answers', async () => {
    const doc = (await server.request('GET', '/docs/json')).body;
    const answer = JSON.stringify(doc.paths['/api/v1/me'].get.responses['200']);
    for (const key of ['permissions', 'installationId', 'apiKeyId', 'scopesToGrant']) expect(answer).toContain(key);
  });
});
