import { afterEach, expect, it } from 'vitest';
import { ErrorBody } from '../../../lib/contracts/errors';
import type { StepInput } from '../../../lib/contracts/steps';
import { Workflow } from '../../../lib/contracts/workflow';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../../server/outbound/test-server';
import { startAppSink } from '../../support/app-sink';
import { waitForRun } from '../../support/builders';
import { eachAdminServer } from '../../support/each-server';
import { type Api, type TestServer } from '../../support/server';
import { createWorkflow, runsOf, type WorkflowInput } from '../engine-support';

/**
 * Registered by step-variables.test.ts (SQLite) and step-variables.pg.test.ts (PostgreSQL).
 * `$step` variables are read only where a step that may run before sets them (publish says so
 * otherwise, naming the step and what was meant), and a step whose mapping cannot fill one sets
 * it to null, so no later step reads an earlier step's value as this one's (n8n: an empty output).
 */
export function stepVariablesSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; }, { env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  let remote: HttpServer | undefined;
  afterEach(async () => { await remote?.close(); remote = undefined; });

  const note = (id: string, text: string): StepInput => ({ id, type: 'add_comment', config: { text } });
  const call = (id: string, url: string, mappings: [string, string][]): StepInput =>
    ({ id, type: 'http_request', config: { method: 'GET', url, responseMappings: mappings.map(([jsonKey, variable]) => ({ jsonKey, variable })) } });
  const manual = (steps: StepInput[]): WorkflowInput => ({ name: 'Order sync', trigger: { type: 'manual' }, steps });

  async function refused(body: WorkflowInput) {
    const draft = Workflow.parse((await admin.post('/workflows', body)).body);
    const res = await admin.post(`/workflows/${draft.id}/publish`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    return { details: ErrorBody.parse(res.body).error.details, draft };
  }

  /** The review's answers: h1 JSON with the id, h2 an HTML page (a login wall, an error page). */
  async function shop() {
    remote = await startHttpServer((req, res) => {
      if (req.url?.startsWith('/h1')) { res.setHeader('content-type', 'application/json'); res.end('{"id":"srv-123","status":"paid"}'); return; }
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>Please sign in</body></html>');
    });
    return remote.url;
  }

  it('refuses a $step variable read before any step sets it, and one no step sets (did you mean)', async () => {
    const { details } = await refused(manual([
      note('early', 'before call: {{$step.rid}}'),
      call('h1', 'https://shop.example/h1', [['$.id', 'rid']]),
      call('h2', 'https://shop.example/h2', [['$.id', 'rid']]),
      note('late', 'after: {{$step.rid}} {{$step.ridd}}'),
    ]));
    expect(details).toEqual([
      { path: 'steps.0.config.text', message: '{{$step.rid}} is read before any step sets it: step 2 ("h1") and step 3 ("h2") set it, but not before step 1 runs; move this step below one of them' },
      { path: 'steps.3.config.text', message: '{{$step.ridd}} is not set by any step: did you mean {{$step.rid}}?' },
    ]);
  });

  it("after Ask a Question, {{$step.<step id>.answer}} is refused with advice that publishes when followed", async () => {
    const ask = (saveToVariable?: string): StepInput => ({
      id: 'q', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 600, ...(saveToVariable ? { saveToVariable } : {}) },
    } as StepInput);
    const asking = (steps: StepInput[]): WorkflowInput => ({ name: 'Ask order', trigger: { type: 'shortcut', name: 'Ask order' }, steps });
    const at = 'steps.1.config.text';
    const unsaved = 'step 1 ("q") saves its answer as no variable: name it "answer" in that step\'s "Save the answer as $step variable", then read it as {{$step.answer}}';
    // The answer saved as no variable: the advice says where to name one, for either way of writing it.
    expect((await refused(asking([ask(), note('said', 'Order {{$step.q.answer}}')]))).details).toEqual([
      { path: at, message: `{{$step.q.answer}} is not set by any step: a step's variables are named without the step's id, and ${unsaved}` },
    ]);
    expect((await refused(asking([ask(), note('said', 'Order {{$step.answer}}')]))).details).toEqual([
      { path: at, message: `{{$step.answer}} is not set by any step: ${unsaved}` },
    ]);
    // Saved as "order": the name it has.
    expect((await refused(asking([ask('order'), note('said', 'Order {{$step.q.answer}}')]))).details).toEqual([
      { path: at, message: '{{$step.q.answer}} is not set by any step: did you mean {{$step.order}}?' },
    ]);
    // Each advice followed publishes.
    for (const [save, text] of [['answer', '{{$step.answer}}'], ['order', '{{$step.order}}']] as const) {
      expect((await createWorkflow(server, asking([ask(save), note('said', `Order ${text}`)]))).status).toBe('published');
    }
  });

  it('a step before the one that sets the variable may read it when a jump back runs it again', async () => {
    const again = { id: 'again', type: 'branch', config: { branches: [{ name: 'Retry', conditions: { logic: 'and', rules: [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'retry' }] }, goTo: 'early' }] } } as StepInput;
    const looped = await createWorkflow(server, manual([note('early', 'last id: {{$step.rid}}'), call('h1', 'https://shop.example/h1', [['$.id', 'rid']]), again]));
    expect(looped.status).toBe('published');
    // A jump forward over the step that sets it does not make it available.
    const { details } = await refused(manual([
      { id: 'skip', type: 'jump_to', config: { stepId: 'late' } }, call('h1', 'https://shop.example/h1', [['$.id', 'rid']]), note('late', '{{$step.rid}}'),
    ]));
    expect(details).toEqual([{ path: 'steps.2.config.text', message: expect.stringMatching(/^\{\{\$step\.rid\}\} is read before any step sets it: step 2 \("h1"\) sets it/) }]);
  });

  it("a mini-app action's outputs: named without the step id, and only after the action", async () => {
    const sink = await startAppSink(server);
    const registered = await admin.post('/apps', {
      key: 'orders', name: 'Orders', scopes: ['contacts.read'], subscribeUrl: sink.urls.subscribeUrl,
      actions: [{ key: 'status', name: 'Order status', request: { method: 'POST', url: `${sink.url}/status`, body: {} }, outputs: [{ variable: 'orderStatus', jsonKey: '$.status' }] }],
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const appId = registered.body.app.id as string;
    expect((await admin.post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);
    const action: StepInput = { id: 'mini_app_action_3', type: 'mini_app_action', config: { appId, actionKey: 'status', inputs: {} } };
    const tag = (id: string, t: string): StepInput => ({ id, type: 'update_contact_tag', config: { action: 'add', tags: [t] } });

    const { details, draft } = await refused(manual([action, tag('tag', 'order-{{$step.mini_app_action_3.orderStatus}}')]));
    expect(details).toEqual([{ path: 'steps.1.config.tags.0', message: '{{$step.mini_app_action_3.orderStatus}} is not set by any step: did you mean {{$step.orderStatus}}?' }]);
    const before = await admin.put(`/workflows/${draft.id}`, manual([tag('tag', 'order-{{$step.orderStatus}}'), action]));
    expect(before.status).toBe(200);
    expect(ErrorBody.parse((await admin.post(`/workflows/${draft.id}/publish`)).body).error.details).toEqual([
      { path: 'steps.0.config.tags.0', message: expect.stringMatching(/^\{\{\$step\.orderStatus\}\} is read before any step sets it: step 2 \("mini_app_action_3"\)/) },
    ]);
    expect((await admin.put(`/workflows/${draft.id}`, manual([action, tag('tag', 'order-{{$step.orderStatus}}')]))).status).toBe(200);
    expect((await admin.post(`/workflows/${draft.id}/publish`)).status).toBe(200);
  });

  it('a step whose mapping fails sets its variables to null: later steps do not read the earlier value', async () => {
    const base = await shop();
    // The app answers {"ok":true}: its output `$.status` matches nothing.
    const sink = await startAppSink(server);
    const registered = await admin.post('/apps', {
      key: 'orders', name: 'Orders', scopes: ['contacts.read'], subscribeUrl: sink.urls.subscribeUrl,
      actions: [{ key: 'status', name: 'Order status', request: { method: 'POST', url: `${sink.url}/status`, body: {} }, outputs: [{ variable: 'orderStatus', jsonKey: '$.status' }] }],
    });
    const appId = registered.body.app.id as string;
    expect((await admin.post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);
    const wf = await createWorkflow(server, {
      name: 'Order sync', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [] },
      steps: [
        call('h1', `${base}/h1`, [['$.id', 'rid'], ['$.status', 'orderStatus']]),
        call('h2', `${base}/h2`, [['$.id', 'rid']]),
        { id: 'app', type: 'mini_app_action', config: { appId, actionKey: 'status', inputs: {} } },
        note('late', 'rid=[{{$step.rid}}] status=[{{$step.orderStatus}}]'),
      ],
    });
    const contact = (await admin.post('/contacts', { firstName: 'Ana', phone: '+14155550123' })).body as { id: string };
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body as { id: string };
    const hook = await server.request('POST', new URL(wf.trigger.type === 'incoming_webhook' ? wf.trigger.url! : '').pathname,
      { body: JSON.stringify({ phone: '+14155550123' }), headers: { 'content-type': 'application/json' } });
    expect(hook.status, JSON.stringify(hook.body)).toBe(202);
    const run = await waitForRun(server.app.services.db, (hook.body as { runIds: string[] }).runIds[0]!);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.variables.step).toEqual({ rid: null, orderStatus: null });
    expect(run.stepLog.find((e) => e.stepId === 'h2')?.notes).toEqual(['The response is not JSON; no variable was mapped']);
    const comments = ((await admin.get(`/conversations/${conversation.id}`)).body.messages as { kind: string; text: string }[]).filter((m) => m.kind === 'comment');
    expect(comments.map((m) => m.text)).toEqual(['rid=[] status=[]']);
  });

  it('Ask a Question with no valid answer sets its variable to null, not the earlier answer', async () => {
    const ask = (id: string, retries: number): StepInput => ({ id, type: 'ask_question', config: { question: `${id}: how many?`, answerType: 'number', retries, saveToVariable: 'count' } });
    const wf = await createWorkflow(server, { name: 'Ask twice', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps: [ask('first', 1), ask('second', 0), note('said', 'count=[{{$step.count}}]')] });
    const contact = (await admin.post('/contacts', { firstName: 'Ana' })).body as { id: string };
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body as { id: string };
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBe(200);
    const [started] = await runsOf(server, wf.id);
    const db = server.app.services.db;
    const reply = async (text: string, asked: number) => {
      await expect.poll(async () => ((await admin.get(`/conversations/${conversation.id}`)).body.messages as unknown[]).length, { timeout: 10_000 }).toBe(asked);
      await waitForRun(db, started!.id, ['waiting']);
      expect((await admin.post(`/conversations/${conversation.id}/messages`, { text, direction: 'incoming' })).status).toBe(201);
    };
    await reply('7', 1);
    await reply('soon', 3);
    const done = await waitForRun(db, started!.id);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.find((e) => e.stepId === 'second' && (e.output as { outcome?: string })?.outcome)).toMatchObject({ output: { outcome: 'invalid', reply: 'soon' } });
    expect(done.variables.step).toEqual({ count: null });
    const comments = ((await admin.get(`/conversations/${conversation.id}`)).body.messages as { kind: string; text: string }[]).filter((m) => m.kind === 'comment');
    expect(comments.map((m) => m.text)).toEqual(['count=[]']);
  });
}
