import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, runsOf, shortcutWorkflow } from './engine-support';

/**
 * Registered by run-lines-stopped.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A run's line in
 * its conversation says its latest state, whichever way the run ended (Chatwoot's and respond.io's
 * timelines say an automation stopped): a workflow deleted under a run waiting to try again, one
 * run cancelled or many, a line replaced where the thread now ends, under the same id.
 */
export function runLinesStoppedSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: { api: Api; id: string };
  let remote: HttpServer | undefined;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    admin = server.api(server.adminToken);
    const a = await server.createUser('agent', { name: 'Ava' });
    ava = { api: server.api(a.token), id: a.user.id };
  });
  afterEach(async () => {
    await server.close();
    await remote?.close();
    remote = undefined;
  });

  const lena = async () => Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body).id;
  const open = async (contactId: string) => (await admin.post('/conversations', { contactId })).body.id as string;
  const thread = async (id: string) => ConversationDetail.parse((await ava.api.get(`/conversations/${id}`)).body).messages;
  const lines = async (id: string) => (await thread(id)).filter((m) => m.kind === 'activity');

  /** Ava launches "Call CRM" (a CRM answering 503) on a new conversation; its run waits to try the call again. */
  async function retrying() {
    remote = await startHttpServer((req: IncomingMessage, res: ServerResponse) => { req.resume(); res.writeHead(503).end('down'); });
    const flow = await createWorkflow(server, shortcutWorkflow({
      name: 'Call CRM', trigger: { type: 'shortcut', name: 'Call CRM' },
      steps: [{ id: 'crm', type: 'http_request', config: { method: 'GET', url: `${remote.url}/x` } } as StepInput],
    }));
    const conversation = await open(await lena());
    const launched = await ava.api.post(`/shortcuts/${flow.id}/launch`, { conversationId: conversation, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const runId = launched.body.runId as string;
    const waiting = await waitFor('the line saying it waits to try again', async () => {
      const run = Run.parse((await admin.get(`/runs/${runId}`)).body);
      const line = (await lines(conversation)).at(-1);
      return run.status === 'waiting' && line?.text.includes('is waiting to try step “crm” again') ? line : undefined;
    });
    return { flow, conversation, runId, waiting };
  }

  it('deleting a workflow whose run waits to try again: its line says it stopped, in place of the promise of a try', async () => {
    const { flow, conversation, runId, waiting } = await retrying();
    expect((await admin.del(`/workflows/${flow.id}`)).status).toBe(204);
    expect((await waitForRun(server.app.services.db, runId, ['cancelled'])).error).toBe('The workflow was deleted');
    expect((await lines(conversation)).map((m) => [m.text, m.author.type])).toEqual([
      ['Ava launched “Call CRM”', 'user'],
      ['Shortcut “Call CRM” stopped: the workflow was deleted', 'workflow'],
    ]);
    expect((await lines(conversation)).at(-1)!.id).toBe(waiting.id);
  });

  it('a replaced line keeps its id and moves to where the thread now ends', async () => {
    const { conversation, runId, waiting } = await retrying();
    expect((await ava.api.post(`/conversations/${conversation}/messages`, { text: 'Checking the CRM', kind: 'comment' })).status).toBe(201);
    const tries = Run.parse((await admin.get(`/runs/${runId}`)).body).stepLog.length;
    expect((await admin.post(`/runs/${runId}/retry-now`)).status).toBe(200);
    const replaced = await waitFor('the line after the next try', async () => {
      const line = (await lines(conversation)).find((m) => m.id === waiting.id);
      const run = Run.parse((await admin.get(`/runs/${runId}`)).body);
      return run.status === 'waiting' && run.stepLog.length > tries && line && line.createdAt !== waiting.createdAt ? line : undefined;
    });
    expect(replaced.text).toMatch(/^Workflow “Call CRM” is waiting to try step “crm” again at /);
    // The same message, where the thread ends now: after the note written since.
    expect((await thread(conversation)).map((m) => [m.id === waiting.id ? 'the line' : m.kind, m.text])).toEqual([
      ['activity', 'Ava launched “Call CRM”'], ['comment', 'Checking the CRM'], ['the line', replaced.text],
    ]);
  });

  describe('a run queued by a trigger that never started gets no line when cancelled, one run or many; a started one does', () => {
    /** "Follow up" waits an hour after a conversation opens: the contact's next conversation's run queues behind it. */
    async function queuedBehind() {
      const flow = await createWorkflow(server, {
        name: 'Follow up', trigger: { type: 'conversation_opened' },
        steps: [{ id: 'pause', type: 'wait', config: { seconds: 3600 } }, { id: 'note', type: 'add_comment', config: { text: 'Following up' } }],
      });
      const contact = await lena();
      const first = await open(contact);
      const [started] = await runsOf(server, flow.id);
      await waitForRun(server.app.services.db, started!.id, ['waiting']);
      expect((await admin.post(`/conversations/${first}/close`, {})).status).toBe(200);
      const second = await open(contact);
      const queued = (await runsOf(server, flow.id)).find((r) => r.id !== started!.id)!;
      expect(queued).toMatchObject({ status: 'queued', conversationId: second, attempts: 0 });
      return { flow, first, second, started: started!.id, queued: queued.id };
    }

    it.each(['one at a time (POST /runs/:id/cancel)', 'together (POST /workflows/:id/runs/cancel)'])('%s', async (how) => {
      const ann = server.api((await server.createUser('admin', { name: 'Ann' })).token);
      const { flow, first, second, started, queued } = await queuedBehind();
      if (how.startsWith('one')) {
        for (const id of [queued, started]) expect((await ann.post(`/runs/${id}/cancel`)).status).toBe(200);
      } else {
        expect((await ann.post(`/workflows/${flow.id}/runs/cancel`, {})).body).toMatchObject({ cancelled: 2 });
      }
      for (const id of [queued, started]) expect((await admin.get(`/runs/${id}`)).body).toMatchObject({ status: 'cancelled', error: 'Cancelled by Ann' });
      // The admin's own close and reopen have their lines (people-change-lines-suite.ts); the queued run none.
      expect((await lines(first)).map((m) => m.text)).toEqual(['Conversation was closed by Admin', 'Workflow “Follow up” stopped: cancelled by Ann']);
      expect((await lines(second)).map((m) => m.text)).toEqual(['Conversation was reopened by Admin']);
    });
  });
}
