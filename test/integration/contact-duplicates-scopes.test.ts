import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Scope } from '../../lib/contracts/scopes';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// "Scopes are exact": an app key that may write contacts but not read them learns which field
// collided, never the id of the contact that has it.

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterAll(async () => { await server?.close(); });

async function keyWith(key: string, scopes: Scope[]): Promise<string> {
  const admin = server.api(server.adminToken);
  const sink = await startAppSink(server);
  const res = await admin.post('/apps', { key, name: key, scopes, subscribeUrl: sink.urls.subscribeUrl });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await admin.post(`/apps/${res.body.app.id}/install`, { authValues: {} })).status).toBe(201);
  return lastKey(sink);
}

it('the contact\'s id goes only to a key that reads contacts', async () => {
  const held = await server.api(server.adminToken).post('/contacts', { firstName: 'Ana', phone: '+34600111666' });
  expect(held.status).toBe(201);
  const writer = await server.api(await keyWith('writer', ['contacts.write'])).post('/contacts', { firstName: 'X', phone: '+34600111666' });
  expect(writer.status).toBe(409);
  expect(writer.body.error.details).toEqual([{ path: 'body.phone', message: 'Another contact has this phone' }]);
  const reader = await server.api(await keyWith('reader', ['contacts.write', 'contacts.read'])).post('/contacts', { firstName: 'X', phone: '+34600111666' });
  expect(reader.status).toBe(409);
  expect(reader.body.error.details).toEqual([expect.objectContaining({ path: 'body.phone', contactId: held.body.id })]);
});
