import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { waitFor } from '../support/wait';
import { startTestServer, type TestServer } from '../support/server';

// What happens when the app's server misbehaves: a failed subscribe leaves nothing behind, an
// unsubscribe waits for the server to come back, private addresses need the allow-list.

const ALLOW = { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1,localhost' };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function companion(env: NodeJS.ProcessEnv = ALLOW) {
  const server = await startTestServer({ env });
  cleanup.push(() => server.close());
  return server;
}

/** An app server that answers every request with `status` and remembers what it got. */
async function answering(status: number, text: string) {
  const bodies: any[] = [];
  const srv = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      bodies.push(JSON.parse(raw || 'null'));
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  cleanup.push(() => new Promise((r) => srv.close(() => r())));
  return { url, bodies };
}

function manifest(subscribeUrl: string | undefined, unsubscribeUrl?: string) {
  return {
    key: 'payments', name: 'Payments', scopes: ['contacts.read'],
    authInputs: [{ key: 'accountId', label: 'Account', type: 'string', required: true }],
    ...(subscribeUrl ? { subscribeUrl } : {}), ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
  };
}


async function noLiveAppKey(server: TestServer) {
  expect(await server.store.db.selectFrom('installations').selectAll().execute()).toEqual([]);
  const live = await server.store.db.selectFrom('tokens').select('id').where('kind', '=', 'app').where('revoked_at', 'is', null).execute();
  expect(live).toEqual([]);
}

describe('a subscribe request that fails', () => {
  it('answers 502 with what the app server said, and keeps no installation and no live key', async () => {
    const server = await companion();
    const appServer = await answering(500, 'database is down');
    const admin = server.api(server.adminToken);
    const appId = (await admin.post('/apps', manifest(`${appServer.url}/subscribe`))).body.app.id;

    const res = await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('subscribe_failed');
    expect(res.body.error.message).toContain('HTTP 500: database is down');
    // The key the app server was sent does not work.
    expect(appServer.bodies).toHaveLength(1);
    expect((await server.api(appServer.bodies[0].apiKey).get('/contacts')).status).toBe(401);
    await noLiveAppKey(server);
    expect((await admin.get(`/apps/${appId}`)).body.installation).toBeNull();
  });

  it('reports a network error (nothing listening) the same way', async () => {
    const server = await companion();
    const gone = await answering(200, 'ok');
    await cleanup.pop()!(); // close it: the port is now free
    const admin = server.api(server.adminToken);
    const appId = (await admin.post('/apps', manifest(`${gone.url}/subscribe`))).body.app.id;
    const res = await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'subscribe_failed', message: expect.stringContaining('ECONNREFUSED') });
    await noLiveAppKey(server);
  });

  it('refuses a private-address subscribeUrl unless it is allow-listed', async () => {
    const server = await companion({});
    const appServer = await answering(200, 'ok');
    const admin = server.api(server.adminToken);
    const appId = (await admin.post('/apps', manifest(`${appServer.url}/subscribe`))).body.app.id;
    const res = await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } });
    // The companion's own policy refused it, nothing was sent: the admin's to fix (422), as for Chatwoot.
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^The app's subscribe URL http:\/\/127\.0\.0\.1:\d+\/subscribe is on a private network address, .*add its host to COMPANION_ALLOW_PRIVATE_URLS \(.*(loopback|private)/i);
    expect(appServer.bodies).toHaveLength(0);
    await noLiveAppKey(server);
  });

  it.each([
    ['scopes', { scopes: ['contacts.read'] }, 'scopes (contacts.read)'],
    ['a trigger', { fields: [{ key: 'amount', label: 'Amount', type: 'number' }], triggers: [{ key: 't', name: 'T', items: ['amount'] }] }, 'triggers (t)'],
  ])('refuses a manifest with %s and no subscribeUrl (its key could reach no one), on register and on edit', async (_name, extra, named) => {
    const server = await companion();
    const admin = server.api(server.adminToken);
    const body = { key: 'nosub', name: 'No sub', ...extra };
    const res = await admin.post('/apps', body);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.subscribeUrl', message: expect.stringContaining(`An app with ${named} needs a subscribeUrl: its API key is sent to the app's server only in the subscribe request`) }]);
    expect((await admin.get('/apps')).body.apps).toEqual([]);

    const plain = await admin.post('/apps', { key: 'nosub', name: 'No sub' });
    expect(plain.status).toBe(201);
    expect((await admin.put(`/apps/${plain.body.app.id}`, body)).status).toBe(422);
  });

  it('installs an app without scopes or triggers (actions, fields only) without a subscribe request', async () => {
    const server = await companion();
    const admin = server.api(server.adminToken);
    const app = await admin.post('/apps', { ...manifest(undefined), scopes: [], fields: [{ key: 'amount', label: 'Amount', type: 'number' }] });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    expect((await admin.post(`/apps/${app.body.app.id}/install`, { authValues: { accountId: 'a' } })).status).toBe(201);
  });
});

describe('an unsubscribe request while the app server is down', () => {
  it('does not fail the uninstall and is delivered once the server is back', async () => {
    const server = await companion();
    let payments: PaymentApp = await startPaymentApp({ port: 0, companionUrl: server.url });
    cleanup.push(() => payments.close());
    const admin = server.api(server.adminToken);
    const registered = (await admin.post('/apps', payments.manifest())).body;
    payments.setSigningSecret(registered.signingSecret);
    const appId = registered.app.id;
    expect((await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } })).status).toBe(201);
    const key = payments.received.subscribe[0]!.body.apiKey;
    const kept = [...payments.installations.values()];
    const port = payments.port;
    await payments.close();

    expect((await admin.del(`/apps/${appId}/install`)).status).toBe(204);
    expect((await server.api(key).get('/contacts')).status).toBe(401);
    const failed = await waitFor('a failed attempt', async () => {
      const row = await server.store.db.selectFrom('outbox').selectAll().executeTakeFirst();
      return row && row.attempts >= 1 ? row : undefined;
    });
    expect(failed.delivered_at).toBeNull();
    expect(failed.last_error).toContain('ECONNREFUSED');

    payments = await startPaymentApp({ port, companionUrl: server.url, signingSecret: registered.signingSecret, installations: kept });
    const unsub = await waitFor('the unsubscribe request', async () => payments.received.unsubscribe[0], 15_000);
    expect(unsub.verified).toBe(true);
    expect(unsub.body).toMatchObject({ appId, installationId: kept[0]!.installationId, apiKeyId: expect.stringMatching(/^tok_/), reason: 'uninstalled' });
    expect(unsub.body).not.toHaveProperty('apiKey');
    expect(payments.installations.size).toBe(0);
    const row = await waitFor('the row to be marked delivered', async () => {
      const r = await server.store.db.selectFrom('outbox').selectAll().executeTakeFirst();
      return r?.delivered_at ? r : undefined;
    });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(payments.received.unsubscribe).toHaveLength(1);
  });
});
