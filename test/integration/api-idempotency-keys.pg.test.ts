import { expect, it } from 'vitest';
import { describePg, eachPgServer } from '../support/postgres';
import type { TestServer } from '../support/server';

// POST /workflows/:id/start's Idempotency-Key on PostgreSQL, where concurrent starts with one key
// really race (api-idempotency-keys.test.ts has the rest on SQLite).

describePg('start with an Idempotency-Key on PostgreSQL', () => {
  let server: TestServer;
  eachPgServer((s) => { server = s; });

  it('eight starts at once with one key start the workflow once, each answered the first start', async () => {
    const admin = server.api(server.adminToken);
    const contact = await admin.post('/contacts', { firstName: 'Ana', phone: '+34600111222' });
    const wf = await admin.post('/workflows', { name: 'Receipt', trigger: { type: 'manual' }, steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } }] });
    expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
    const start = (orderId: string) => admin.post(`/workflows/${wf.body.id}/start`, { contact: { id: contact.body.id }, variables: { orderId } }, { headers: { 'idempotency-key': 'burst' } });
    const answers = await Promise.all(Array.from({ length: 8 }, () => start('K1')));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    expect(new Set(answers.map((a) => a.body.eventId)).size).toBe(1);
    expect(answers[0]!.body.runIds).toHaveLength(1);
    expect((await admin.get(`/runs?workflowId=${wf.body.id}`)).body.runs).toHaveLength(1);
    expect((await start('K2')).status).toBe(409);
  });
});
