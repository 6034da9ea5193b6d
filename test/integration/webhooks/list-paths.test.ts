import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

// JSONPaths that select several values (a wildcard, a filter, a slice, `..`), over real HTTP:
// what publishes is what a delivery can use. An identifier list may be one array or one value
// per item of a batch; a variable that selects several values is a list, which text shows as
// "A1, B2" (as {{$contact.tags}}) and a JSON body receives as an array.

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const post = (path: string, body: unknown) =>
  server.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const admin = () => server.api(server.adminToken);

async function comments(conversationId: string) {
  return ((await admin().get(`/conversations/${conversationId}`)).body.messages as { text: string }[]).map((m) => m.text);
}

const batch = [
  { email: 'ada@example.com', items: [{ sku: 'A1' }, { sku: 'B2' }] },
  { email: 'grace@example.com', items: [{ sku: 'C3' }] },
];

describe('a webhook trigger with paths that select several values', () => {
  it('runs once per item of a top-level batch ($[*].email) and gives a list variable as text ($[0].items[*].sku)', async () => {
    const ada = await makeContact(server, { firstName: 'Ada', email: 'ada@example.com' });
    const grace = await makeContact(server, { firstName: 'Grace', email: 'grace@example.com' });
    const [opened] = await Promise.all([ada, grace].map((c) => admin().post('/conversations', { contactId: c.id })));
    expect(opened!.status).toBe(201);
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'email', jsonKey: '$[*].email' },
      mappings: [{ jsonKey: '$[0].items[*].sku', variable: 'skus' }, { jsonKey: '$..sku', variable: 'all' }],
    }, [{ id: 'say', type: 'add_comment', config: { text: 'skus {{$trigger.skus}}; all {{$trigger.all}}' } }]);

    const res = await post(hook.path, batch);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.unmatched).toEqual([]);
    const runs = await Promise.all((res.body.runIds as string[]).map((id) => waitForRun(server, id)));
    expect(runs.map((r) => r.contactId).sort()).toEqual([ada.id, grace.id].sort());
    for (const run of runs) {
      expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
      expect(run.variables.trigger).toMatchObject({ skus: ['A1', 'B2'], all: ['A1', 'B2', 'C3'] });
      expect(JSON.stringify(run.stepLog)).not.toMatch(/map a single value|matched nothing/);
    }
    expect(await comments(opened!.body.id)).toContain('skus A1, B2; all A1, B2, C3');
  });

  it('says the same in the mapping tester: the identifier values and the list', async () => {
    await makeContact(server, { email: 'ada@example.com' });
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'email', jsonKey: '$[*].email' }, mappings: [{ jsonKey: '$[0].items[*].sku', variable: 'skus' }],
    }, [{ id: 's', type: 'add_comment', config: { text: '{{$trigger.skus}}' } }]);
    const res = await admin().post(`/workflows/${hook.id}/webhook/test`, { body: batch });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      identifier: { values: ['ada@example.com', 'grace@example.com'] }, unmatched: ['grace@example.com'], variables: { skus: ['A1', 'B2'] }, errors: [],
    });
  });

  it('still notes a path that selects objects, leaving the variable empty', async () => {
    const ada = await makeContact(server, { email: 'ada@example.com' });
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'email', jsonKey: '$[*].email' }, mappings: [{ jsonKey: '$[*].items', variable: 'items' }],
    }, [{ id: 's', type: 'add_comment', config: { text: 'x' } }]);
    const res = await post(hook.path, batch.slice(0, 1));
    expect(res.status).toBe(202);
    const run = await waitForRun(server, res.body.runIds[0]);
    expect(run.contactId).toBe(ada.id);
    expect(JSON.stringify(run.stepLog)).toContain('$[*].items selects objects, not values; map a value inside them, e.g. $[*].items[*].sku');
  });
});
