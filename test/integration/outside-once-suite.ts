import { afterEach, beforeEach, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../fixtures/meta/payloads';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import type { TestServer } from '../support/server';
import { sendMessageStep } from '../../server/engine/steps/send-message';
import { conversationOf, startChannelWorld, type ChannelWorld } from './channels/support';
import { waitForRun } from './webhooks/support';

/**
 * Registered by outside-once.test.ts (SQLite) and outside-once.pg.test.ts (PostgreSQL). A step
 * whose effect leaves the process (an HTTP request) or is written outside the run's checkpoint (a
 * note on a WhatsApp conversation) when the process dies, or the database fails every write,
 * right after it: the run is taken again once its lease has run out, and the effect is not
 * repeated where repeating could do it twice (README: HTTP request, exactly once).
 */
export function outsideOnceSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  let sink: HttpServer | undefined;
  beforeEach(async () => {
    const url = databaseUrl();
    w = await startChannelWorld({ ...(url ? { databaseUrl: url } : {}), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  });
  afterEach(async () => {
    await w.close();
    await sink?.close();
    sink = undefined;
  });

  /** What was committed at one moment: the effects recorded and the run's position. */
  type Moment = { keys: string[]; run: { cursor: number; step_log: string; variables: string; jumps: number } };
  const committed = async (server: TestServer, runId: string): Promise<Moment> => {
    const db = server.store.db;
    const keys = (await db.selectFrom('step_effects').select('key').execute()).map((r) => r.key);
    const run = await db.selectFrom('runs').select(['cursor', 'step_log', 'variables', 'jumps']).where('id', '=', runId).executeTakeFirstOrThrow();
    return { keys, run };
  };
  /**
   * Back to `moment` as a process killed then (or a database refusing every write since) leaves
   * it: nothing written after it, the run `running` on a lease that has run out. The next claim
   * takes it and runs the step again.
   */
  const resumeFrom = async (server: TestServer, runId: string, moment: Moment) => {
    const db = server.store.db;
    await (moment.keys.length ? db.deleteFrom('step_effects').where('key', 'not in', moment.keys) : db.deleteFrom('step_effects')).execute();
    await db.updateTable('runs').set({
      ...moment.run, status: 'running', lease_owner: 'a-killed-process', lease_until: '1970-01-01T00:00:00.000Z', ended_at: null, error: null, wake_at: null,
    }).where('id', '=', runId).execute();
    server.app.services.runSignal.notify();
    return waitForRun(server, runId, 20_000);
  };

  const customer = async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi, where is my order?' }))).status).toBe(200);
    return conversationOf(w.server, 'phone=%2B14155550123');
  };

  /** A server that records each request, and what was committed when the first one arrived. */
  async function target() {
    const hits: { method: string; key: string }[] = [];
    let atFirst: Promise<Moment> | undefined;
    sink = await startHttpServer(async (req, res) => {
      const key = String(req.headers['idempotency-key']);
      hits.push({ method: req.method ?? '', key });
      req.resume();
      atFirst ??= committed(w.server, key.split(':')[0]!);
      await atFirst;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"ord_1"}');
    });
    return { url: sink.url, hits, atFirst: () => atFirst! };
  }

  it.each([
    { method: 'POST', resent: false },
    { method: 'PATCH', resent: false },
    { method: 'PUT', resent: true },
    { method: 'GET', resent: true },
  ] as const)('HTTP request $method: the process dies right after the request went out, and the run is taken again', async ({ method, resent }) => {
    const { contact } = await customer();
    const { url, hits, atFirst } = await target();
    const wf = await w.tagWorkflow([
      { id: 'call', type: 'http_request', config: { method, url: `${url}/orders`, ...(method === 'GET' ? {} : { body: '{"order": "A1"}' }) } },
      { id: 'after', type: 'add_comment', config: { text: 'Order placed' } },
    ]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(hits).toHaveLength(1);

    const resumed = await resumeFrom(w.server, run.id, await atFirst());
    const call = resumed.stepLog.find((s: { stepId: string }) => s.stepId === 'call');
    if (resent) {
      // A repeat changes nothing on the server (RFC 9110 §9.2.2), as the quick attempts treat it.
      expect(resumed.status, resumed.error ?? '').toBe('completed');
      expect(hits).toEqual([{ method, key: `${run.id}:call` }, { method, key: `${run.id}:call` }]);
      expect(call.notes).toContain(`An earlier attempt went out before a restart (or a database outage) and its answer was not recorded; ${method} is safe to repeat, so it was sent again (same Idempotency-Key)`);
    } else {
      // As a WhatsApp send in that state: the outcome is unknown, said so, and nothing is sent twice.
      expect(hits).toHaveLength(1);
      expect(resumed.status).toBe('failed');
      expect(resumed.error).toBe(`${method} ${url}/orders: an earlier attempt went out before a restart (or a database outage) and its answer was not recorded, `
        + `so the server may or may not have acted on it; a ${method} is not sent again, to avoid doing it twice (Idempotency-Key ${run.id}:call). `
        + 'Check there, then run the workflow again if needed');
      expect(call.output).toMatchObject({ outcome: 'unknown', attempts: 0 });
      expect(resumed.stepLog.map((s: { stepId: string }) => s.stepId)).toEqual(['call']);
    }
  });

  it('HTTP request: a run taken again after its answer was recorded does not send again', async () => {
    const { contact } = await customer();
    const { url, hits } = await target();
    const wf = await w.tagWorkflow([{ id: 'call', type: 'http_request', config: { method: 'POST', url: `${url}/orders`, body: '{}' } }]);
    const run = await w.fire(wf, contact.id);
    const keys = (await w.server.store.db.selectFrom('step_effects').select('key').execute()).map((r) => r.key);
    const resumed = await resumeFrom(w.server, run.id, { keys, run: { cursor: 0, step_log: '[]', variables: JSON.stringify(run.variables ?? {}), jumps: 0 } });
    expect(resumed.status, resumed.error ?? '').toBe('completed');
    expect(hits).toHaveLength(1);
    expect(resumed.stepLog[0].notes).toContain(`Effect ${run.id}:call was already done before a restart; not repeated`);
  });

  it('Add comment on a WhatsApp conversation: the note is its own record, so a crash right after it cannot post it twice', async () => {
    const { contact, conversation } = await customer();
    const wf = await w.tagWorkflow([{ id: 'note', type: 'add_comment', config: { text: 'Called back about {{$contact.phone}}' } }]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, run.error ?? '').toBe('completed');
    // The moment right after the note's commit: the run still before the step, and no record of
    // the step beside the note (the record written after it, in a statement of its own, was lost).
    const resumed = await resumeFrom(w.server, run.id, { keys: [], run: { cursor: 0, step_log: '[]', variables: JSON.stringify(run.variables ?? {}), jumps: 0 } });
    expect(resumed.status, resumed.error ?? '').toBe('completed');
    const notes = (await w.server.api(w.server.adminToken).get(`/conversations/${conversation.id}`)).body.messages
      .filter((m: { kind: string }) => m.kind === 'comment').map((m: { text: string }) => m.text);
    expect(notes).toEqual([`Called back about ${contact.phone}`]);
    expect(resumed.stepLog[0].notes).toContain('This note was already added before a restart; not added again');
    expect(resumed.stepLog[0].output.messageId).toBe(run.stepLog[0].output.messageId);
  });

  it('Send message: a template kept in the built-in inbox after its number was disconnected is stored once across a crash right after it', async () => {
    const admin = w.server.api(w.server.adminToken);
    const contact = (await admin.post('/contacts', { firstName: 'Ana', phone: '+14155550199' })).body as { id: string };
    const wf = await w.tagWorkflow([{ id: 'confirm', type: 'send_message', config: { kind: 'template', template: { name: 'order_confirmation', language: 'en_US', parameters: ['A1'] } } }]);
    expect((await admin.del(`/channels/${w.whatsappId}`)).status).toBe(204);
    const opened = await admin.post('/conversations', { contactId: contact.id });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    // The engine decided while the number was connected (outside, no transaction); the step then found none.
    const decide = sendMessageStep.outside;
    (sendMessageStep as { outside: typeof decide }).outside = () => true;
    try {
      const run = await w.fire(wf, contact.id);
      expect(run.status, run.error ?? '').toBe('completed');
      // Right after the message's commit: the run before the step, no record beside the message.
      const resumed = await resumeFrom(w.server, run.id, { keys: [], run: { cursor: 0, step_log: '[]', variables: JSON.stringify(run.variables ?? {}), jumps: 0 } });
      expect(resumed.status, resumed.error ?? '').toBe('completed');
      const messages = (await admin.get(`/conversations/${opened.body.id}`)).body.messages.filter((m: { kind: string }) => m.kind === 'message');
      expect(messages).toHaveLength(1);
      expect(resumed.stepLog[0].notes).toContain('This message was already added before a restart; not added again');
      expect(resumed.stepLog[0].output.messageId).toBe(run.stepLog[0].output.messageId);
    } finally {
      (sendMessageStep as { outside: typeof decide }).outside = decide;
    }
  });
}
