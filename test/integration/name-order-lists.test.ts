import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type Api, type TestServer } from '../support/server';

// Every list of workflow names the API gives (the Workflows list, the run history's workflow
// filter, the launcher's shortcuts) is in one order, as people read names: any case, numbers by
// value, in the languages of Accept-Language. The run filter and the shortcuts sorted by the
// server's locale without numbers ("Flow 10" before "Flow 2"), the list by bytes ("Zeta" before "alpha").

let server: TestServer;
let admin: Api;
const NAMES = ['Flow 10', 'Flow 2', 'zeta', 'Alpha', 'Örebro', 'Beta'];

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  admin = server.api(server.adminToken);
  for (const name of NAMES) {
    const res = await admin.post('/workflows', { name, trigger: { type: 'shortcut', name }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }], status: 'published' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});
afterAll(async () => { await server?.close(); });

const names = async (path: string, key: 'workflows' | 'shortcuts', language: string) => {
  const res = await admin.get(path, { headers: { 'accept-language': language } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body[key] as { name: string }[]).map((w) => w.name);
};

it.each([
  ['en-US,en;q=0.9', ['Alpha', 'Beta', 'Flow 2', 'Flow 10', 'Örebro', 'zeta']],
  // Swedish: "Ö" is a letter after "Z".
  ['sv-SE,sv;q=0.9', ['Alpha', 'Beta', 'Flow 2', 'Flow 10', 'zeta', 'Örebro']],
])('Accept-Language %s: the list, the run filter and the shortcuts in one order', async (language, want) => {
  expect(await names('/workflows', 'workflows', language)).toEqual(want);
  expect(await names('/runs/workflows', 'workflows', language)).toEqual(want);
  expect(await names('/shortcuts', 'shortcuts', language)).toEqual(want);
});

it('a client that names no language, or any, gets the same order', async () => {
  for (const language of ['*', '']) {
    expect(await names('/workflows', 'workflows', language)).toEqual(await names('/shortcuts', 'shortcuts', language));
    expect(await names('/runs/workflows', 'workflows', language)).toEqual(['Alpha', 'Beta', 'Flow 2', 'Flow 10', 'Örebro', 'zeta']);
  }
});
