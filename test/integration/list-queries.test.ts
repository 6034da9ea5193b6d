import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// Every list answers a cursor it never gave, or a query parameter it does not take, with a 422
// saying so (as conversations do): a sync job with a cut cursor must not read "done" from an
// empty page, and a typo (`?emial=`, respond.io's `?workflow_id=`) must not act on every contact.

let server: TestServer;
let workflowId: string;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const admin = server.api(server.adminToken);
  for (const n of [1, 2, 3]) expect((await admin.post('/contacts', { firstName: `C${n}`, phone: `+3460011122${n}` })).status).toBe(201);
  const wf = await admin.post('/workflows', { name: 'Hook', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [] }, steps: [] });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  workflowId = wf.body.id;
});
afterAll(async () => { await server?.close(); });

const get = (path: string) => server.api(server.adminToken).get(path);
const deliveries = () => `/workflows/${workflowId}/webhook/deliveries`;

describe('a cursor the server did not give is refused', () => {
  it.each([
    ['/contacts', 'con_zzzz'],
    ['/contacts', 'con_01ARZ3NDEKTSV4RRFFQ69G5FA'],
    ['/runs', 'run_zzzz'],
    [`/workflows/:id/runs`, 'run_zzzz'],
    ['deliveries', 'evt_zzzz'],
    ['/conversations', 'cnv_zzzz'],
    ['/workflows', 'wf_zzzz'],
  ])('%s?cursor=%s: 422', async (list, cursor) => {
    const path = list === 'deliveries' ? deliveries() : list.replace(':id', workflowId);
    const res = await get(`${path}?cursor=${cursor}`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'querystring.cursor', message: 'Pass the `nextCursor` of the page before, as it was answered' }]);
  });

  it('a cursor it gave pages on, also once its contact was deleted', async () => {
    const page1 = await get('/contacts?limit=1');
    expect(page1.body.nextCursor).toMatch(/^con_/);
    expect((await server.api(server.adminToken).del(`/contacts/${page1.body.nextCursor}`)).status).toBe(204);
    const page2 = await get(`/contacts?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.status).toBe(200);
    expect(page2.body.contacts).toHaveLength(1);
    expect(page2.body.contacts[0].id > page1.body.nextCursor).toBe(true);
  });
});

describe('a query parameter the list does not take is refused, naming the ones it takes', () => {
  it.each([
    ['/contacts?foo=bar', 'foo', 'phone, email, q, field, value, limit, cursor'],
    ['/contacts?emial=a@b.c', 'emial', 'phone, email, q, field, value, limit, cursor'],
    ['/contacts?status=bogus', 'status', 'phone, email, q, field, value, limit, cursor'],
    ['/contacts?cursor[]=x', 'cursor[]', 'phone, email, q, field, value, limit, cursor'],
    ['/runs?workflow_id=wf_1', 'workflow_id', 'workflowId, status, contactId, launchedBy, rerunBy, since, until, runAgain, limit, cursor'],
    ['/workflows?tag=vip', 'tag', 'q, status, trigger, limit, cursor'],
  ])('%s', async (path, key, takes) => {
    const res = await get(path);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.message).toContain(`Unknown query parameter ${key}: this list takes ${takes}`);
  });

  it.each(['abc', '0', '201', '1.5', '10&limit=20'])('/contacts?limit=%s says what limit takes', async (limit) => {
    const res = await get(`/contacts?limit=${limit}`);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'querystring.limit', message: 'Give limit as a whole number from 1 to 200' }]);
  });

  it('the parameters a list takes still work', async () => {
    expect((await get('/contacts?q=C&limit=10')).status).toBe(200);
    expect((await get(`/runs?limit=50&workflowId=${workflowId}&status=completed&since=2026-01-01`)).status).toBe(200);
    expect((await get(`${deliveries()}?limit=20`)).status).toBe(200);
    expect((await get('/workflows?limit=10')).body.workflows).toHaveLength(1);
    expect((await get('/workflows?q=hook&status=draft&trigger=incoming_webhook&limit=10')).body.workflows).toHaveLength(1);
  });
});
