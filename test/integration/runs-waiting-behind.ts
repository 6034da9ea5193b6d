import { afterEach, describe, expect, it } from 'vitest';
import { LaunchResult } from '../../lib/contracts/shortcuts';
import { Run, RunQueueSummary } from '../../lib/contracts/runs';
import { waitingBehindText } from '../../lib/workflow/waiting-behind';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, shortcutWorkflow } from './engine-support';
import { makeContact, publishWebhookWorkflow } from './webhooks/support';

/**
 * A contact's runs of one workflow go one at a time, in order (kept: issue #17). A later run then
 * waits, queued, while the one before it waits out a Wait or a question: GET /runs/:id says behind
 * which run and until when, /runs/summary counts such runs apart from the ready ones.
 * On SQLite (runs-waiting-behind.test.ts) and PostgreSQL (runs-waiting-behind.pg.test.ts).
 */
export function waitingBehindSuite(databaseUrl: () => string | undefined = () => undefined) {
  let server: TestServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  const start = async (workers = true) => (server = await startTestServer({ databaseUrl: databaseUrl(), workers }));
  const admin = (s: TestServer) => s.api(s.adminToken);
  const getRun = async (s: TestServer, id: string, token = s.adminToken) => {
    const res = await s.api(token).get(`/runs/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return Run.parse(res.body);
  };
  const summary = async (s: TestServer) => {
    const res = await admin(s).get('/runs/summary');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Parsed with no default: the server must send the count itself.
    expect(res.body).toHaveProperty('waitingBehind');
    return RunQueueSummary.parse(res.body);
  };
  const until = (s: TestServer, id: string, status: string) =>
    waitFor(`run ${id} ${status}`, async () => { const r = await getRun(s, id); return r.status === status ? r : undefined; });
  const post = (s: TestServer, path: string, body: unknown) =>
    s.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  describe('a run queued behind an earlier run of the same workflow and contact', () => {
    it('webhook posted twice (tag, wait 40 s, tag): the second says behind which run and until when; the summary counts it; cancelling the first lets it go', async () => {
      const s = await start();
      await makeContact(s, { phone: '+14155550123' });
      const hook = await publishWebhookWorkflow(s, {}, [
        { id: 'first', type: 'update_contact_tag', config: { action: 'add', tags: ['started'] } },
        { id: 'pause', type: 'wait', config: { seconds: 40 } },
        { id: 'last', type: 'update_contact_tag', config: { action: 'add', tags: ['done'] } },
      ]);
      const a = await post(s, hook.path, { phone: '+14155550123', order: { id: 'A-1' } });
      const first = await until(s, a.body.runIds[0], 'waiting');
      const b = await post(s, hook.path, { phone: '+14155550123', order: { id: 'A-2' } });
      const secondId = b.body.runIds[0] as string;
      // Give the engine time to look at it: it stays queued, its log empty.
      await new Promise((r) => setTimeout(r, 300));

      const second = await getRun(s, secondId);
      expect(second).toMatchObject({ status: 'queued', stepLog: [] });
      expect(second.waitingBehind).toEqual({ runId: first.id, status: 'waiting', waitingUntil: first.wakeAt, reason: 'at step "pause"' });
      expect(waitingBehindText(second)).toMatch(new RegExp(`^waiting behind run ${first.id} of the same contact \\(it waits at step "pause" until .+\\)$`));
      // Only a queued run held by another has it.
      expect((await getRun(s, first.id)).waitingBehind).toBeUndefined();
      // In the list it is left out (one read per run asked for, not per run listed).
      const listed = (await admin(s).get(`/runs?workflowId=${hook.id}`)).body.runs as Record<string, unknown>[];
      expect(listed.every((r) => !('waitingBehind' in r))).toBe(true);

      expect(await summary(s)).toMatchObject({ ready: 0, waitingBehind: 1, oldestReadyAt: null, running: 0, waiting: 1 });

      // Cancelling the run in front lets the held one start at once, not after the 40 s.
      expect((await admin(s).post(`/runs/${first.id}/cancel`)).status).toBe(200);
      const moved = await until(s, secondId, 'waiting');
      expect(moved.waitingBehind).toBeUndefined();
      expect(moved.stepLog.map((e) => e.stepId)).toEqual(['first', 'pause']);
      expect(await summary(s)).toMatchObject({ ready: 0, waitingBehind: 0, waiting: 1 });
    });

    it('a second launch of a shortcut asking a question: the agent who launched it reads behind which run it waits (the launcher\'s toast)', async () => {
      const s = await start();
      const wf = await createWorkflow(s, shortcutWorkflow({
        name: 'Ask', trigger: { type: 'shortcut', name: 'Ask order' },
        steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text' } }],
      }));
      const { token } = await s.createUser('agent');
      const contact = (await admin(s).post('/contacts', { firstName: 'Ana' })).body as { id: string };
      const conversation = (await admin(s).post('/conversations', { contactId: contact.id })).body as { id: string };
      const launch = async () => {
        const res = await s.api(token).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: {} });
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        return LaunchResult.parse(res.body).runId;
      };
      const firstId = await launch();
      const first = await until(s, firstId, 'waiting');
      const secondId = await launch();
      await new Promise((r) => setTimeout(r, 300));

      const second = await getRun(s, secondId, token);
      expect(second.status).toBe('queued');
      expect(second.waitingBehind).toEqual({ runId: firstId, status: 'waiting', waitingUntil: first.wakeAt, reason: 'for the contact\'s reply to step "ask"' });
      // The question's timeout: a day.
      expect(Date.parse(second.waitingBehind!.waitingUntil!) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
      expect(waitingBehindText(second)).toMatch(new RegExp(`^waiting behind run ${firstId} of the same contact \\(it waits for the contact's reply to step "ask" until .+\\)$`));
      expect(await summary(s)).toMatchObject({ ready: 0, waitingBehind: 1, waiting: 1 });
    });

    it('behind a run that has not started yet: says so; another contact\'s run and a finished run wait behind nothing', async () => {
      // No workers: runs stay queued.
      const s = await start(false);
      await makeContact(s, { phone: '+14155550123' });
      await makeContact(s, { phone: '+14155550124' });
      const hook = await publishWebhookWorkflow(s);
      const ids = [];
      for (const phone of ['+14155550123', '+14155550123', '+14155550124']) ids.push((await post(s, hook.path, { phone, order: { id: 'A' } })).body.runIds[0] as string);
      const [a, b, other] = ids as [string, string, string];
      expect((await getRun(s, b)).waitingBehind).toEqual({ runId: a, status: 'queued' });
      expect(waitingBehindText(await getRun(s, b))).toBe(`waiting behind run ${a} of the same contact (it has not started yet)`);
      expect((await getRun(s, a)).waitingBehind).toBeUndefined();
      expect((await getRun(s, other)).waitingBehind).toBeUndefined();
      // Queued behind a queued run: not held by a Wait or a question, so counted as neither.
      expect(await summary(s)).toMatchObject({ waitingBehind: 0, running: 0, waiting: 0 });
      expect((await admin(s).post(`/runs/${a}/cancel`)).status).toBe(200);
      expect((await getRun(s, a)).waitingBehind).toBeUndefined();
      expect((await getRun(s, b)).waitingBehind).toBeUndefined();
    });
  });
}
