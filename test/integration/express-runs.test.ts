import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LaunchResult } from '../../lib/contracts/shortcuts';
import { claimHeads } from '../../server/engine/executor/claim';
import { unblockNext } from '../../server/engine/executor/run-queue';
import { nowIso } from '../../server/ids';
import { addMessage } from '../../server/domain/conversations';
import { inTransaction } from '../../server/events/unit-of-work';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, shortcutWorkflow } from './engine-support';
import { answerBehindBacklog, chainBehindBacklog, claimDueWaiting, shortcutBehindBacklog } from './express-support';

let server: TestServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('runs someone waits on go ahead of the queue (SQLite)', () => {
  it('an agent\'s shortcut completes while a backlog queued before it is still being worked through', async () => {
    server = await startTestServer();
    const { endedBefore, backlog } = await shortcutBehindBacklog(server, { contacts: 40, perContact: 100 });
    // By the queue's order it would have ended after all 4,000.
    expect(endedBefore).toBeLessThan(backlog / 2);
  });

  it('a customer\'s answer to a question resumes its run while the backlog is still being worked through', async () => {
    server = await startTestServer();
    const { endedBefore, backlog } = await answerBehindBacklog(server, { contacts: 40, perContact: 100 });
    expect(endedBefore).toBeLessThan(backlog / 2);
  });

  it('what a shortcut\'s run starts (another workflow, a workflow its tag triggers) also goes ahead of the backlog', async () => {
    server = await startTestServer();
    const { endedBefore, backlog } = await chainBehindBacklog(server, { contacts: 40, perContact: 100 });
    // Queued in turn, the third link would end after all 4,000.
    expect(endedBefore).toBeLessThan(backlog / 2);
  });

  it('also when runs execute on the executor thread (the launch is taken on the main thread)', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'companion-express-'));
    server = await startTestServer({ sqliteFile: path.join(dir, 'companion.sqlite'), env: { COMPANION_EXECUTOR_THREAD: '1', COMPANION_ADMIN_TOKEN: 'ict_express_admin_token_0123456789abcdef' } });
    expect(server.executorThread).toBeDefined();
    const { endedBefore, backlog } = await shortcutBehindBacklog(server, { contacts: 40, perContact: 100 });
    expect(endedBefore).toBeLessThan(backlog / 2);
  });

  it('still waits for an unfinished run of its own pair (the same shortcut, the same contact)', async () => {
    server = await startTestServer();
    const services = server.app.services;
    const { token } = await server.createUser('agent');
    const shortcut = await createWorkflow(server, shortcutWorkflow());
    const { contact, conversation } = await insertContact(services);
    // The pair's earlier run is running elsewhere (another instance's lease, a minute long).
    const earlier = await insertRun(services.db, { workflowId: shortcut.id, contactId: contact.id, conversationId: conversation!.id, status: 'running' });
    await services.db.updateTable('runs').set({ lease_owner: 'another-instance', lease_until: new Date(Date.now() + 60_000).toISOString() }).where('id', '=', earlier).execute();
    const launched = await server.api(token).post(`/shortcuts/${shortcut.id}/launch`, { conversationId: conversation!.id, values: {} });
    const { runId } = LaunchResult.parse(launched.body);
    await new Promise((r) => setTimeout(r, 300));
    expect((await services.db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow()).status).toBe('queued');
    // The earlier run ends (releasing the next of its pair, as a checkpoint does): the launched one goes next.
    await services.db.transaction().execute(async (trx) => {
      await trx.updateTable('runs').set({ status: 'completed', ended_at: nowIso(), lease_owner: null, lease_until: null }).where('id', '=', earlier).execute();
      await unblockNext(trx, services.store.dialect, shortcut.id, contact.id, earlier);
    });
    services.runSignal.notify();
    await waitFor('the launched run to complete', async () =>
      (await services.db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow()).status === 'completed' ? true : undefined);
  });

  it('an express claim takes only the runs it names (not due waiting runs, not runs held elsewhere)', async () => {
    server = await startTestServer({ workers: false });
    const services = server.app.services;
    const shortcut = await createWorkflow(server, shortcutWorkflow());
    const a = await insertContact(services);
    const b = await insertContact(services);
    const queued = await insertRun(services.db, { workflowId: shortcut.id, contactId: a.contact.id });
    const due = await insertRun(services.db, { workflowId: shortcut.id, contactId: b.contact.id, status: 'waiting', wakeAt: '2000-01-01T00:00:00.000Z' });
    const now = new Date();
    const request = { owner: 'me', now: now.toISOString(), leaseUntil: new Date(now.getTime() + 60_000).toISOString(), limit: 2 };
    const claimed = await claimHeads(services.store, request, [queued], { only: true });
    expect(claimed.map((r) => [r.id, r.status, r.lease_owner])).toEqual([[queued, 'running', 'me']]);
    expect((await services.db.selectFrom('runs').select('status').where('id', '=', due).executeTakeFirstOrThrow()).status).toBe('waiting');
    // Claimed once: a second claim (another worker, the queue) finds it held.
    expect(await claimHeads(services.store, request, [queued], { only: true })).toEqual([]);
    // Without `only` the due waiting run comes too, as a rolled-back round's claim takes it.
    const c = await insertContact(services);
    const other = await insertRun(services.db, { workflowId: shortcut.id, contactId: c.contact.id });
    expect((await claimHeads(services.store, request, [other])).map((r) => r.id).sort()).toEqual([other, due].sort());
  });

  it('an express claim takes a waiting run it names once it is due (a question just answered), not before', async () => {
    server = await startTestServer({ workers: false });
    const { early, due, asked } = await claimDueWaiting(server);
    expect(early).toEqual([]);
    expect(due).toEqual([[asked, 'running']]);
  });

  it('a customer\'s answer to a question sends its run down the express lane', async () => {
    server = await startTestServer();
    const services = server.app.services;
    const expressed: string[] = [];
    services.runSignal.onExpress((ids) => expressed.push(...ids));
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'ask', type: 'ask_question', config: { question: 'Email?', answerType: 'email', saveToVariable: 'email' } },
    ] }));
    const asked = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id });
    services.runSignal.notify();
    await waitForRun(services.db, asked, ['waiting']);
    expect(expressed).toEqual([]);
    await inTransaction(services.db, (uow) => addMessage(uow, services, conversation!.id, {
      text: 'ada@example.com', direction: 'incoming', kind: 'message', author: { type: 'contact', id: null },
    }, { source: 'contact' }));
    expect(expressed).toEqual([asked]);
    await waitForRun(services.db, asked, ['completed']);
  });
});
