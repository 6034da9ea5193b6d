import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSse, type SseClient } from '../support/sse';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, defineField, makeContact, openFor, runsOf, shortcutWorkflow } from './engine-support';

// COMPANION_EXECUTOR_THREAD=1 on a SQLite file: the main thread takes requests, a thread of its
// own (its own connection to the file) executes the runs; they talk through a port.
const THREAD = { COMPANION_EXECUTOR_THREAD: '1' };
// The same admin across a restart on the same file (the first start creates it).
const ADMIN = { COMPANION_ADMIN_TOKEN: 'ict_thread_admin_token_0123456789abcdef' };

let dir: string;
let server: TestServer | undefined;
let clients: SseClient[] = [];
beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'companion-thread-')); });
afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const start = async (opts: { thread?: boolean; workers?: boolean } = {}) => {
  server = await startTestServer({ sqliteFile: path.join(dir, 'companion.sqlite'), env: opts.thread === false ? ADMIN : { ...ADMIN, ...THREAD }, ...(opts.workers === false ? { workers: false } : {}) });
  return server;
};

async function untilDone(s: TestServer, workflowId: string, count: number, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql<{ status: string; n: number }>`SELECT status, count(*) AS n FROM runs WHERE workflow_id = ${workflowId} GROUP BY status`.execute(s.app.services.db);
    const done = rows.filter((r) => r.status === 'completed').reduce((a, r) => a + Number(r.n), 0);
    if (done >= count) return rows;
    if (Date.now() > until) throw new Error(`${done} of ${count} runs completed: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('runs executed on the executor thread (SQLite)', () => {
  it('executes a burst of webhook runs, each exactly once, under the thread\'s own lease', async () => {
    const s = await start();
    await defineField(s, 'order_id');
    const wf = await createWorkflow(s, {
      name: 'Order shipped',
      trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }] },
      steps: [
        { id: 'field', type: 'update_contact_field', config: { field: 'order_id', value: '{{$trigger.orderId}}' } },
        { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['shipped'] } },
      ],
    });
    const hook = new URL((wf.trigger as { url: string }).url).pathname;
    const phones = Array.from({ length: 20 }, (_, i) => `+1415555${String(i).padStart(4, '0')}`);
    for (const phone of phones) expect((await s.api(s.adminToken).post('/contacts', { firstName: 'Ada', phone })).status).toBe(201);

    const N = 400;
    const answers = await Promise.all(Array.from({ length: N }, (_, i) =>
      s.request('POST', hook, { body: { phone: phones[i % phones.length], order: { id: `o-${i}` } } })));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(N);

    expect(await untilDone(s, wf.id, N)).toEqual([{ status: 'completed', n: N }]);
    // Every run ran each step once, on the thread (its lease owner), not on the thread taking requests.
    const runs = await s.app.services.db.selectFrom('runs').select(['lease_owner', 'step_log']).where('workflow_id', '=', wf.id).execute();
    expect(new Set(runs.map((r) => r.lease_owner))).toEqual(new Set([`${s.app.services.config.instanceId}-executor-1`]));
    for (const r of runs) expect((JSON.parse(r.step_log ?? '[]') as { stepId: string }[]).map((e) => e.stepId)).toEqual(['field', 'tag']);
    // The steps' effects: every contact has the tag and the order of one of its webhooks.
    const contacts = await s.app.services.db.selectFrom('contacts').select(['phone', 'tags', 'fields']).where('phone', 'in', phones).execute();
    for (const c of contacts) {
      expect(JSON.parse(String(c.tags))).toContain('shipped');
      const i = Number(String((JSON.parse(String(c.fields)) as { order_id: string }).order_id).slice(2));
      expect(phones[i % phones.length]).toBe(c.phone);
    }
  });

  it('tells the inbox\'s event stream what the thread did, and runs a workflow changed on the main thread as changed', async () => {
    const s = await start();
    const wf = await createWorkflow(s, shortcutWorkflow());
    const contact = await makeContact(s);
    const conversation = await openFor(s, contact.id);
    const sse = await openSse(`${s.url}/api/v1/events/stream?token=${s.adminToken}`);
    clients.push(sse);
    await sse.waitFor(/: connected/);

    const launch = await s.api(s.adminToken).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: {} });
    expect(launch.status).toBe(202);
    expect(await sse.next('run.updated')).toMatchObject({ runId: launch.body.runId, status: 'queued' });
    // Published by the thread when the run ended, relayed to this stream by the main thread.
    expect(await sse.next('run.updated')).toMatchObject({ runId: launch.body.runId, status: 'completed' });

    // The thread's definitions cache hears of the change made here.
    const edited = await s.api(s.adminToken).put(`/workflows/${wf.id}`, { ...shortcutWorkflow(), steps: [{ id: 'note', type: 'add_comment', config: { text: 'Refund approved' } }] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await s.api(s.adminToken).post(`/workflows/${wf.id}/publish`)).status).toBe(200);
    const again = await s.api(s.adminToken).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: {} });
    expect(again.status).toBe(202);
    await untilDone(s, wf.id, 2);
    const comments = await s.app.services.db.selectFrom('messages').select('text').where('conversation_id', '=', conversation.id).where('kind', '=', 'comment').orderBy('created_at').execute();
    expect(comments.map((c) => c.text)).toEqual(['Refund', 'Refund approved']);
  });

  it('replaces a thread that dies, which takes up the runs the dead one held', async () => {
    const s = await start();
    const wf = await createWorkflow(s, shortcutWorkflow());
    const contact = await makeContact(s);
    const conversation = await openFor(s, contact.id);
    const launch = () => s.api(s.adminToken).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: {} });
    expect((await launch()).status).toBe(202);
    await untilDone(s, wf.id, 1);

    // A run the thread had leased when it died (written as the dead thread would have left it).
    const held = (await launch()).body.runId as string;
    await untilDone(s, wf.id, 2);
    // An inbox open across the crash still hears what the next thread does (it learns of the stream by hello).
    const sse = await openSse(`${s.url}/api/v1/events/stream?token=${s.adminToken}`);
    clients.push(sse);
    await sse.waitFor(/: connected/);
    const dead = s.executorThread!.worker!;
    await dead.terminate();
    await sql`UPDATE runs SET status = 'running', lease_owner = ${`${s.app.services.config.instanceId}-executor-1`}, lease_until = '2999-01-01T00:00:00.000Z', ended_at = NULL WHERE id = ${held}`.execute(s.app.services.db);
    const after = await launch();
    expect(after.status).toBe(202);

    // Another thread within about a second; it releases the lease and executes both.
    await untilDone(s, wf.id, 3, 10_000);
    const completed = async (): Promise<unknown> => {
      const m = await sse.next('run.updated', 10_000);
      return (m as { status: string }).status === 'completed' && (m as { runId: string }).runId === after.body.runId ? m : completed();
    };
    expect(await completed()).toMatchObject({ runId: after.body.runId, status: 'completed' });
    expect(s.executorThread!.worker).toBeDefined();
    expect(s.executorThread!.worker).not.toBe(dead);
  });

  it('takes up runs queued while nothing executed them, and stops with the server', async () => {
    // Acknowledged by an instance that executes nothing, then the server restarts with the thread.
    let s = await start({ workers: false });
    const wf = await createWorkflow(s, shortcutWorkflow());
    const contact = await makeContact(s);
    const conversation = await openFor(s, contact.id);
    const launch = await s.api(s.adminToken).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: {} });
    expect(launch.status).toBe(202);
    await new Promise((r) => setTimeout(r, 200));
    expect((await runsOf(s, wf.id)).map((r) => r.status)).toEqual(['queued']);
    await s.close();
    server = undefined;

    s = await start();
    await untilDone(s, wf.id, 1);
    const closing = Date.now();
    await s.close();
    server = undefined;
    expect(Date.now() - closing).toBeLessThan(5_000);
  });
});
