import { afterEach, beforeEach, expect, it } from 'vitest';
import { getContact } from '../../server/domain/contacts';
import { upsertField } from '../../server/domain/fields';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';

// Queued rounds on PostgreSQL (batch-round.ts, queuedRoundPostgres): the row lock is the claim.
// What a round cannot finish (a failing step rolls it back) must still reach the per-run path.

describePg('runs advanced together on PostgreSQL (queued rounds)', () => {
  let server: TestServer;
  let services: Services;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: pgUrl()! });
    services = server.app.services;
  });
  afterEach(async () => { await server.close(); });

  it('a run whose step fails in a round fails alone with its error; the others in the round complete', async () => {
    await upsertField(services.db, { key: 'order', label: 'Order', type: 'number', options: [] });
    const contacts: Awaited<ReturnType<typeof insertContact>>['contact'][] = [];
    for (let i = 0; i < 12; i++) contacts.push((await insertContact(services, { open: false })).contact);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } },
      { id: 'order', type: 'update_contact_field', config: { field: 'order', value: '{{$trigger.order}}' } },
    ] }));
    // Queued together, so rounds meet the failing runs beside good ones; every third fails.
    const ids = await services.db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (const [n, c] of contacts.entries()) out.push(await insertRun(trx, { workflowId: wf.id, contactId: c.id, trigger: { order: n % 3 === 0 ? 'abc' : String(n) } }));
      return out;
    });
    services.runSignal.notify();
    const runs = await Promise.all(ids.map((id) => waitForRun(services.db, id, ['completed', 'failed', 'cancelled'], 20_000)));
    for (const [n, run] of runs.entries()) {
      const contact = await getContact(services.db, contacts[n]!.id);
      if (n % 3 === 0) {
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(/Cannot set field "order" \(number\): "abc" is not a number/);
        expect(run.stepLog.map((e) => `${e.stepId}:${e.status}`)).toEqual(['tag:completed', 'order:failed']);
      } else {
        expect(run.status).toBe('completed');
        expect(contact.fields.order).toBe(n);
      }
      expect(contact.tags).toEqual(['vip']);
    }
  });
});
