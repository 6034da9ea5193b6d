import { afterEach, beforeEach, expect, it } from 'vitest';
import { startEngine } from '../../server/engine/executor/index';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';
import { runQueueSuite } from './run-queue-suite';

describePg('run queue heads (PostgreSQL)', () => runQueueSuite(pgUrl()));

describePg('a blocked mark that raced the end of the run before it (PostgreSQL)', () => {
  let server: TestServer;
  let services: Services;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: pgUrl()!, workers: false });
    services = server.app.services;
  });
  afterEach(async () => { await server.close(); });

  const blockedOf = async (id: string) => (await services.db.selectFrom('runs').select('blocked').where('id', '=', id).executeTakeFirstOrThrow()).blocked;

  it('is looked at again by the process that made it: the run goes on without waiting for the full sweep', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const contactId = (await insertContact(services)).contact.id;
    // Another instance is running the pair's first run (its lease is far from over).
    const first = await insertRun(services.db, { workflowId: wf.id, contactId });
    await services.db.updateTable('runs').set({ status: 'running', lease_owner: 'other-instance', lease_until: '2999-01-01T00:00:00.000Z', attempts: 1 }).where('id', '=', first).execute();
    const next = await insertRun(services.db, { workflowId: wf.id, contactId });
    // The full sweep is ten minutes away: only the re-check of this process's own mark can release `next`.
    const engine = await startEngine(services, { workers: true, pollMs: 50, unblockMs: 600_000, recheckMs: 1_000 });
    try {
      const until = Date.now() + 5_000;
      while (await blockedOf(next) !== 1) {
        if (Date.now() > until) throw new Error('the worker never marked the run behind a running one blocked');
        await new Promise((r) => setTimeout(r, 10));
      }
      // The other instance's round ends `first` now; it looked for a blocked successor before the
      // mark above committed, so it released nothing (the race this repairs).
      await services.db.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString(), lease_until: null }).where('id', '=', first).execute();
      const started = Date.now();
      expect((await waitForRun(services.db, next, ['completed', 'failed', 'cancelled'], 8_000)).status).toBe('completed');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await engine.stop();
    }
  });

  it('leaves a run blocked while the run before it is still unfinished', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const contactId = (await insertContact(services)).contact.id;
    const first = await insertRun(services.db, { workflowId: wf.id, contactId, status: 'waiting', wakeAt: '2999-01-01T00:00:00.000Z' });
    const next = await insertRun(services.db, { workflowId: wf.id, contactId });
    const engine = await startEngine(services, { workers: true, pollMs: 50, unblockMs: 600_000, recheckMs: 200 });
    try {
      await new Promise((r) => setTimeout(r, 1_000)); // marked, then looked at again (several times over)
      expect(await blockedOf(next)).toBe(1);
      expect((await waitForRun(services.db, next, ['queued'])).status).toBe('queued');
      expect((await waitForRun(services.db, first, ['waiting'])).status).toBe('waiting');
    } finally {
      await engine.stop();
    }
  });
});
