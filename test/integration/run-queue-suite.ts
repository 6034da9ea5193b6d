import { afterEach, beforeEach, expect, it } from 'vitest';
import { listMessages } from '../../server/domain/conversations';
import { claimRuns } from '../../server/engine/executor/claim';
import { unblockStalled } from '../../server/engine/executor/run-queue';
import { newId, nowIso } from '../../server/ids';
import type { Services } from '../../server/services';
import type { RunsTable } from '../../server/store/schema';
import { getRun, insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';

// Queue heads: a claim reads the first queued run of each (workflow, contact), not a contact's
// whole backlog, and the backlog still runs in order, one run at a time. Shared by the SQLite
// and PostgreSQL suites.
export function runQueueSuite(databaseUrl?: string) {
  let server: TestServer;
  let services: Services;
  beforeEach(async () => {
    server = await startTestServer({ ...(databaseUrl ? { databaseUrl } : {}), workers: false });
    services = server.app.services;
  });
  afterEach(async () => { await server.close(); });

  const claim = (limit = 8) => {
    const now = Date.now();
    return claimRuns(services.store, { owner: 'test', now: new Date(now).toISOString(), leaseUntil: new Date(now + 30_000).toISOString(), limit });
  };
  const queuedHeads = async () => (await services.db.selectFrom('runs').select('id').where('status', '=', 'queued').where('blocked', '=', 0).orderBy('id').execute()).map((r) => r.id);

  it('marks a contact backlog behind a running run, claims another contact\'s later run, and reads only heads afterwards', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const busy = (await insertContact(services)).contact.id;
    const other = (await insertContact(services)).contact.id;
    const first = await insertRun(services.db, { workflowId: wf.id, contactId: busy });
    const backlog: string[] = [];
    for (let i = 0; i < 300; i++) backlog.push(await insertRun(services.db, { workflowId: wf.id, contactId: busy }));
    const later = await insertRun(services.db, { workflowId: wf.id, contactId: other });

    expect((await claim(1)).map((r) => r.id)).toEqual([first]);
    // The whole backlog waits behind `first`; the other contact's run, queued after all of it, is next.
    expect((await claim()).map((r) => r.id)).toEqual([later]);
    expect(await queuedHeads()).toEqual([]);
    const blocked = await services.db.selectFrom('runs').select('id').where('blocked', '=', 1).where('status', '=', 'queued').execute();
    expect(blocked).toHaveLength(backlog.length);
    expect(await claim()).toEqual([]);
  });

  it('a burst longer than one read (9,000 runs of one contact) does not hide a later run of another contact', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const busy = (await insertContact(services)).contact.id;
    const other = (await insertContact(services)).contact.id;
    await insertRun(services.db, { workflowId: wf.id, contactId: busy, status: 'waiting', wakeAt: '2999-01-01T00:00:00.000Z' });
    const now = nowIso();
    const rows: RunsTable[] = Array.from({ length: 9_000 }, () => ({
      id: newId('run'), workflow_id: wf.id, workflow_version: 1, contact_id: busy, conversation_id: null, event_id: newId('evt'),
      event_type: 'test', variables: '{}', status: 'queued', cursor: 0, step_log: '[]', wake_at: null, attempts: 0, jumps: 0, depth: 0,
      lease_owner: null, lease_until: null, error: null, created_at: now, updated_at: now, ended_at: null, blocked: 0,
    }));
    for (let i = 0; i < rows.length; i += 400) await services.db.insertInto('runs').values(rows.slice(i, i + 400)).execute();
    const later = await insertRun(services.db, { workflowId: wf.id, contactId: other });
    expect((await claim()).map((r) => r.id)).toEqual([later]);
  });

  it('runs a one-contact backlog to the end, in order, one run at a time', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'run {{$trigger.n}}' } }] }));
    const { contact, conversation } = await insertContact(services);
    const ids: string[] = [];
    for (let n = 0; n < 60; n++) ids.push(await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n } }));
    const { startEngine } = await import('../../server/engine/executor/index');
    const engine = await startEngine(services, { workers: true, concurrency: 8, pollMs: 50 });
    try {
      for (const id of ids) expect((await waitForRun(services.db, id)).status).toBe('completed');
    } finally {
      await engine.stop();
    }
    const notes = (await listMessages(services.db, conversation!.id)).map((m) => m.text);
    expect(notes).toEqual(ids.map((_, n) => `run ${n}`));
    // One at a time: each run's step started no earlier than the run before it ended.
    const runs = await Promise.all(ids.map((id) => getRun(services.db, id)));
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.stepLog[0]!.startedAt >= runs[i - 1]!.endedAt!).toBe(true);
  });

  it('releases a run left blocked when nothing before it is unfinished, and no other', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const free = (await insertContact(services)).contact.id;
    const busy = (await insertContact(services)).contact.id;
    const stalled = await insertRun(services.db, { workflowId: wf.id, contactId: free });
    await insertRun(services.db, { workflowId: wf.id, contactId: busy, status: 'waiting', wakeAt: '2999-01-01T00:00:00.000Z' });
    const behind = await insertRun(services.db, { workflowId: wf.id, contactId: busy });
    // As a claim racing the end of the run before it could leave them.
    await services.db.updateTable('runs').set({ blocked: 1 }).where('id', 'in', [stalled, behind]).execute();
    expect(await claim()).toEqual([]);

    expect(await unblockStalled(services.db, services.store.dialect)).toBe(1);
    expect((await claim()).map((r) => r.id)).toEqual([stalled]);
    const still = await services.db.selectFrom('runs').select(['blocked', 'status']).where('id', '=', behind).executeTakeFirstOrThrow();
    expect(still).toEqual({ blocked: 1, status: 'queued' });
  });

  it('keeps blocked a run behind a queued one of its pair, past the pair\'s finished history', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const contactId = (await insertContact(services)).contact.id;
    const history: string[] = [];
    for (let i = 0; i < 5; i++) history.push(await insertRun(services.db, { workflowId: wf.id, contactId }));
    await services.db.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', 'in', history).execute();
    const head = await insertRun(services.db, { workflowId: wf.id, contactId });
    const behind = await insertRun(services.db, { workflowId: wf.id, contactId });
    await services.db.updateTable('runs').set({ blocked: 1 }).where('id', '=', behind).execute();

    expect(await unblockStalled(services.db, services.store.dialect)).toBe(0);
    expect(await unblockStalled(services.db, services.store.dialect, [behind])).toBe(0);
    await services.db.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', '=', head).execute();
    expect(await unblockStalled(services.db, services.store.dialect, [behind])).toBe(1);
  });
}
