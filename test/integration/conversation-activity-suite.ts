import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail, ConversationList, TakeOverResult } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * Registered by conversation-activity.test.ts (SQLite) and .pg.test.ts (PostgreSQL). What
 * workflows did in a conversation, in its thread, for the agents who work it (Chatwoot's activity
 * messages, respond.io's timeline): after a reload the launcher's toast is gone and GET /runs is
 * for admins. And Take over hands the conversation to the agent who clicks it.
 */
export function conversationActivitySuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: { api: Api; id: string };
  let ben: { api: Api; id: string };
  let remote: HttpServer | undefined;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    admin = server.api(server.adminToken);
    const a = await server.createUser('agent', { name: 'Ava' });
    const b = await server.createUser('supervisor', { name: 'Ben' });
    ava = { api: server.api(a.token), id: a.user.id };
    ben = { api: server.api(b.token), id: b.user.id };
  });
  afterEach(async () => {
    await server.close();
    await remote?.close();
    remote = undefined;
  });

  async function lena() {
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    return (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
  }
  const shortcut = (name: string, steps: StepInput[]) => createWorkflow(server, shortcutWorkflow({ name, trigger: { type: 'shortcut', name }, steps }));
  async function launch(as: Api, workflowId: string, conversationId: string) {
    const res = await as.post(`/shortcuts/${workflowId}/launch`, { conversationId, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.runId as string;
  }
  const detail = async (as: Api, id: string) => ConversationDetail.parse((await as.get(`/conversations/${id}`)).body);
  const lines = async (as: Api, id: string) => (await detail(as, id)).messages.filter((m) => m.kind === 'activity');
  const askOrder = () => shortcut('Ask order', [{ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 600 } } as StepInput]);

  describe('activity lines', () => {
    it('say who launched what and that a workflow failed, for agents and supervisors; they are nobody\'s turn and start nothing', async () => {
      remote = await startHttpServer((req: IncomingMessage, res: ServerResponse) => { req.resume(); res.writeHead(500).end('boom'); });
      const vip = await shortcut('Mark VIP', [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }]);
      const amount = await shortcut('Set amount', [{ id: 'set', type: 'http_request', config: { method: 'POST', url: `${remote.url}/amounts`, body: '{}' } } as StepInput]);
      const conversation = await lena();
      expect((await waitForRun(server.app.services.db, await launch(ava.api, vip.id, conversation))).status).toBe('completed');
      const failing = await waitForRun(server.app.services.db, await launch(ava.api, amount.id, conversation));
      expect(failing.status).toBe('failed');

      // An agent (Ava) and a supervisor (Ben) read them in the conversation; GET /runs stays the admins'.
      // The line says what the step's request was answered, not what the other side said (the run log has it).
      expect(failing.error).toBe(`POST ${remote!.url}/amounts answered HTTP 500: boom`);
      for (const reader of [ava.api, ben.api]) {
        expect((await lines(reader, conversation)).map((m) => [m.text, m.author.type, m.direction])).toEqual([
          ['Ava launched “Mark VIP”', 'user', 'outgoing'],
          ['Ava launched “Set amount”', 'user', 'outgoing'],
          [`Workflow “Set amount” failed at step “set”: POST ${remote!.url}/amounts answered HTTP 500`, 'workflow', 'outgoing'],
        ]);
      }
      expect((await ava.api.get('/runs')).status).toBe(403);
      // Nobody's turn: no Message Created (so no workflow or app hears of them), not the list's
      // latest message, no first response.
      expect(await server.events('message.created')).toEqual([]);
      const row = ConversationList.parse((await ava.api.get('/conversations?status=open')).body).conversations.find((c) => c.id === conversation);
      expect(row?.lastMessage).toBeNull();
      expect((await detail(ava.api, conversation)).firstResponseAt).toBeNull();
    });

    it('a step put off for later has one line, updated at each try, then saying how it ended', async () => {
      let status = 429;
      remote = await startHttpServer((req: IncomingMessage, res: ServerResponse) => { req.resume(); res.writeHead(status, { 'retry-after': '0' }).end(status === 200 ? '{"ok":true}' : 'slow down'); });
      const sync = await shortcut('Order sync', [{ id: 'call', type: 'http_request', config: { method: 'POST', url: `${remote.url}/orders`, body: '{}' } } as StepInput]);
      const conversation = await lena();
      const runId = await launch(ava.api, sync.id, conversation);
      const retryLine = async (tries: number) => waitFor(`the line after try ${tries}`, async () => {
        const run = Run.parse((await admin.get(`/runs/${runId}`)).body);
        if (run.status !== 'waiting' || run.stepLog.filter((e) => e.status === 'retrying').length !== tries) return undefined;
        const found = (await lines(ava.api, conversation)).filter((m) => m.author.type === 'workflow');
        return found.length === 1 && found[0]!.text.includes(run.wakeAt!) ? { run, found } : undefined;
      });
      const first = await retryLine(1);
      const error = first.run.stepLog.at(-1)!.error!;
      expect(error).toMatch(/: answered HTTP 429: slow down \(\d attempts?\)$/);
      expect(first.found[0]!.text).toBe(`Workflow “Order sync” is waiting to try step “call” again at ${first.run.wakeAt} (${error.replace(': slow down', '')})`);
      expect((await admin.post(`/runs/${runId}/retry-now`)).status).toBe(200);
      const second = await retryLine(2);
      // The same line (the same message), moved to where the thread now ends: one line however many tries.
      expect(second.found[0]!.id).toBe(first.found[0]!.id);

      status = 200;
      expect((await admin.post(`/runs/${runId}/retry-now`)).status).toBe(200);
      expect((await waitForRun(server.app.services.db, runId)).status).toBe('completed');
      expect((await lines(ava.api, conversation)).map((m) => m.text)).toEqual([
        'Ava launched “Order sync”', 'Workflow “Order sync”: step “call” went through on try 3',
      ]);
    });

    it('an admin\'s cancel says who stopped the run, in place of its line', async () => {
      const ann = await server.createUser('admin', { name: 'Ann' });
      const flow = await askOrder();
      const conversation = await lena();
      const runId = await launch(ava.api, flow.id, conversation);
      await waitForRun(server.app.services.db, runId, ['waiting']);
      expect((await server.api(ann.token).post(`/runs/${runId}/cancel`)).status).toBe(200);
      expect((await lines(ava.api, conversation)).map((m) => [m.text, m.author])).toEqual([
        ['Ava launched “Ask order”', { type: 'user', id: ava.id }],
        ['Shortcut “Ask order” stopped: cancelled by Ann', { type: 'user', id: ann.user.id }],
      ]);
    });
  });

  describe('Take over', () => {
    async function waiting() {
      const flow = await askOrder();
      const conversation = await lena();
      const runId = await launch(ava.api, flow.id, conversation);
      await waitForRun(server.app.services.db, runId, ['waiting']);
      return { conversation, runId };
    }
    const takeOver = async (as: Api, conversation: string, runId: string) => {
      const res = await as.post(`/conversations/${conversation}/awaiting-answer/take-over`, { runId });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return TakeOverResult.parse(res.body);
    };

    it('assigns an unassigned conversation to the agent who takes over, and the thread records it', async () => {
      const { conversation, runId } = await waiting();
      const taken = await takeOver(ben.api, conversation, runId);
      expect(taken).toMatchObject({ stoppedRunId: runId, assignment: { outcome: 'assigned', assigneeId: ben.id } });
      expect((await detail(ava.api, conversation)).assigneeId).toBe(ben.id);
      expect((await lines(ava.api, conversation)).at(-1)).toMatchObject({
        text: 'Ben took over: shortcut “Ask order” stopped; the conversation is assigned to Ben', author: { type: 'user', id: ben.id },
      });
      expect((await server.events('conversation.assigned')).map((e) => e.payload)).toEqual([expect.objectContaining({ conversationId: conversation, assigneeId: ben.id })]);
      // A second click: nothing left to stop, already Ben's; nothing more to record.
      const again = await takeOver(ben.api, conversation, runId);
      expect(again).toMatchObject({ stoppedRunId: null, assignment: { outcome: 'yours', assigneeId: ben.id } });
      expect(await lines(ava.api, conversation)).toHaveLength(2);
    });

    it('keeps a conversation a colleague has, and says so', async () => {
      const { conversation, runId } = await waiting();
      expect((await ava.api.post(`/conversations/${conversation}/assign`, { userId: ava.id })).status).toBe(200);
      const taken = await takeOver(ben.api, conversation, runId);
      expect(taken).toMatchObject({ stoppedRunId: runId, assignment: { outcome: 'kept', assigneeId: ava.id } });
      expect((await detail(ben.api, conversation)).assigneeId).toBe(ava.id);
      expect((await lines(ben.api, conversation)).at(-1)?.text).toBe('Ben took over: shortcut “Ask order” stopped; it stays assigned to Ava');
    });
  });
}
