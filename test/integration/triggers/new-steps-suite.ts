import { describe, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import type { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import { waitForRun } from '../../support/builders';
import { type Api, type TestServer } from '../../support/server';
import { createWorkflow, runsOf } from '../engine-support';
import { eachAdminServer } from '../../support/each-server';

/** Registered by new-steps.test.ts (SQLite) and new-steps.pg.test.ts (PostgreSQL): `databaseUrl` undefined means SQLite. */
export function newStepsSuite(databaseUrl: () => string | undefined) {
  // Date & Time, Update lifecycle stage and Ask a Question, configured and run through the HTTP API.

  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  const note = (id: string, text: string): StepInput => ({ id, type: 'add_comment', config: { text } });
  const stop = (id: string): StepInput => ({ id, type: 'jump_to', config: { stepId: 'end' } });

  /** A workflow started by adding the tag `go`, for a fresh contact with an open conversation. */
  async function runOnTag(steps: StepInput[]) {
    const wf = await createWorkflow(server, { name: 'Steps', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps });
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body);
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body as { id: string };
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBe(200);
    const [run] = await runsOf(server, wf.id);
    return { wf, contact, conversation, runId: run!.id };
  }
  const messages = async (conversationId: string) =>
    ((await admin.get(`/conversations/${conversationId}`)).body.messages as { text: string; kind: string; direction: string }[]);

  describe('date_time step', () => {
    it.each([
      ['a date range around now', { mode: 'date_range', from: '2000-01-01', to: '2999-12-31' }, 'inside'],
      ['a date long past', { mode: 'dates', dates: ['2001-01-01'] }, 'outside'],
      ['open all week', { mode: 'business_hours', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]])) }, 'inside'],
      ['closed all week', { mode: 'business_hours', hours: {} }, 'outside'],
    ])('%s branches %s', async (_name, schedule, expected) => {
      const { runId, conversation } = await runOnTag([
        { id: 'when', type: 'date_time', config: { timeZone: 'America/New_York', schedule, matchGoTo: 'inside', elseGoTo: 'outside' } } as StepInput,
        note('inside', 'inside'), stop('s1'), note('outside', 'outside'), note('end', 'end'),
      ]);
      const run = await waitForRun(server.app.services.db, runId);
      expect(run.status).toBe('completed');
      expect(run.stepLog[0]).toMatchObject({ stepId: 'when', output: { matched: expected === 'inside', timeZone: 'America/New_York' } });
      expect((await messages(conversation.id)).map((m) => m.text)).toEqual([expected, 'end']);
    });

    it('refuses an unknown time zone and a target that is not a step (422 at publish)', async () => {
      const res = await admin.post('/workflows', {
        name: 'Bad', status: 'published', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
        steps: [{ id: 'when', type: 'date_time', config: { timeZone: 'Mars/Olympus', schedule: { mode: 'dates', dates: ['2026-01-01'] } } }],
      });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(/IANA time zone/);
      const missing = await admin.post('/workflows', {
        name: 'Bad', status: 'published', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
        steps: [{ id: 'when', type: 'date_time', config: { timeZone: 'UTC', schedule: { mode: 'dates', dates: ['2026-01-01'] }, matchGoTo: 'nowhere' } }],
      });
      expect(missing.status).toBe(422);
      expect(missing.body.error.message).toMatch(/no step "nowhere"/);
    });
  });

  describe('lifecycle stages', () => {
    it('a step moves the contact to a stage, and Contact Field Updated fires for lifecycle', async () => {
      expect((await admin.put('/settings/lifecycle-stages', { stages: ['New lead', 'Qualified', 'Customer'] })).status).toBe(200);
      const watcher = await createWorkflow(server, { name: 'Stage watch', trigger: { type: 'contact_field_updated', field: 'lifecycle' }, steps: [] });
      const { runId, contact } = await runOnTag([{ id: 'stage', type: 'update_lifecycle_stage', config: { stage: 'Qualified' } }]);
      expect(await waitForRun(server.app.services.db, runId)).toMatchObject({ status: 'completed', stepLog: [{ output: { from: null, to: 'Qualified' } }] });
      expect((await admin.get(`/contacts/${contact.id}`)).body.lifecycle).toBe('Qualified');
      const [watched] = await runsOf(server, watcher.id);
      expect(watched!.variables.trigger).toMatchObject({ field: 'lifecycle', oldValue: null, newValue: 'Qualified', changedByType: 'workflow' });
    });

    it('refuses unknown stages (422) and removing a stage a published workflow uses (409 naming it)', async () => {
      await admin.put('/settings/lifecycle-stages', { stages: ['Lead', 'Customer'] });
      const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body);
      const patched = await admin.patch(`/contacts/${contact.id}`, { lifecycle: 'VIP' });
      expect(patched.status).toBe(422);
      expect(patched.body.error.message).toMatch(/Unknown lifecycle stage "VIP"; use one of: Lead, Customer/);
      expect((await admin.patch(`/contacts/${contact.id}`, { lifecycle: 'Lead' })).body.lifecycle).toBe('Lead');

      const unpublishable = await admin.post('/workflows', { name: 'X', status: 'published', trigger: { type: 'manual' }, steps: [{ id: 's', type: 'update_lifecycle_stage', config: { stage: 'Churned' } }] });
      expect(unpublishable.status).toBe(422);
      const wf = await createWorkflow(server, { name: 'Convert', trigger: { type: 'manual' }, steps: [{ id: 's', type: 'update_lifecycle_stage', config: { stage: 'Customer' } }] });
      const refused = await admin.put('/settings/lifecycle-stages', { stages: ['Lead'] });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain(`"Convert" (${wf.id}) uses "Customer"`);
      expect((await admin.put('/settings/lifecycle-stages', { stages: ['Lead', 'Customer', 'Churned'] })).status).toBe(200);
    });
  });

  describe('ask_question step', () => {
    async function ask(config: Record<string, unknown>) {
      await admin.put('/fields/order_no', { label: 'Order number', type: 'number' });
      return runOnTag([
        { id: 'ask', type: 'ask_question', config: { question: 'Your order number, {{$contact.firstName}}?', answerType: 'number', retries: 1, saveToField: 'order_no', saveToVariable: 'orderNo', answeredGoTo: 'ok', invalidGoTo: 'bad', timeoutGoTo: 'late', ...config } } as StepInput,
        note('ok', 'got {{$step.orderNo}}'), stop('s1'), note('bad', 'invalid'), stop('s2'), note('late', 'timed out'), note('end', 'end'),
      ]);
    }
    const reply = (conversationId: string, text: string) => admin.post(`/conversations/${conversationId}/messages`, { text, direction: 'incoming' });
    const waiting = async (runId: string): Promise<Run> => waitForRun(server.app.services.db, runId, ['waiting', 'completed', 'failed']);

    it('asks, waits without a worker, re-asks on an invalid reply, then saves the answer and takes the answered branch', async () => {
      const { runId, conversation, contact } = await ask({});
      const parked = await waiting(runId);
      expect(parked.status).toBe('waiting');
      const row = await server.app.services.db.selectFrom('runs').select(['lease_until', 'wake_at']).where('id', '=', runId).executeTakeFirstOrThrow();
      expect(row.lease_until).toBeNull();
      expect(Date.parse(row.wake_at!) - Date.now()).toBeGreaterThan(86_000_000);
      expect((await messages(conversation.id)).map((m) => m.text)).toEqual(['Your order number, Ana?']);

      await reply(conversation.id, 'not sure');
      await expect.poll(async () => (await messages(conversation.id)).length).toBe(3);
      expect((await messages(conversation.id))[2]!.text).toBe('Sorry, that is not a valid answer. Your order number, Ana?');
      expect((await waiting(runId)).status).toBe('waiting');

      await reply(conversation.id, '4711');
      const done = await waitForRun(server.app.services.db, runId);
      expect(done.status).toBe('completed');
      expect((await admin.get(`/contacts/${contact.id}`)).body.fields).toEqual({ order_no: 4711 });
      expect((await messages(conversation.id)).filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(['got 4711', 'end']);
    });

    it('the conversation says which workflow waits for the answer, and until when, while it waits', async () => {
      const { runId, conversation, wf } = await ask({});
      const detail = async () => (await admin.get(`/conversations/${conversation.id}`)).body;
      await waiting(runId);
      const row = await server.app.services.db.selectFrom('runs').select('wake_at').where('id', '=', runId).executeTakeFirstOrThrow();
      // shortcutName: not launched from a shortcut (workflow-change-lines-suite.ts has one that was).
      const awaiting = { runId, workflowId: wf.id, workflowName: 'Steps', shortcutName: null, until: row.wake_at };
      expect((await detail()).awaitingAnswer).toEqual(awaiting);
      // The light read the Chatwoot Dashboard App polls, for agents too.
      const agent = server.api((await server.createUser('agent', { name: 'Alex' })).token);
      expect((await agent.get(`/conversations/${conversation.id}/awaiting-answer`)).body).toEqual({ awaitingAnswer: awaiting, awaitingAnswers: [expect.objectContaining({ runId: awaiting.runId })] });
      expect((await agent.get('/conversations/cnv_nope/awaiting-answer')).status).toBe(404);
      await reply(conversation.id, '4711');
      expect((await waitForRun(server.app.services.db, runId)).status).toBe('completed');
      expect((await detail()).awaitingAnswer).toBeNull();
      expect((await agent.get(`/conversations/${conversation.id}/awaiting-answer`)).body).toEqual({ awaitingAnswer: null, awaitingAnswers: [] });
    });

    it('taking over a run in the middle of its step (the question being sent) stops it at its checkpoint', async () => {
      const { runId, conversation } = await ask({});
      await waiting(runId);
      const db = server.app.services.db;
      // As the executor holds it while the step runs (a lease it keeps renewing).
      await db.updateTable('runs').set({ status: 'running', lease_until: new Date(Date.now() + 60_000).toISOString() }).where('id', '=', runId).execute();
      const taken = await admin.post(`/conversations/${conversation.id}/awaiting-answer/take-over`, { runId });
      // Take over assigns the unassigned conversation to the one who took it (take-over-assign.ts).
      expect(taken.body).toEqual({ stoppedRunId: runId, cancelledRunIds: [], awaitingAnswer: null, awaitingAnswers: [], assignment: { outcome: 'assigned', assigneeId: expect.any(String) } });
      expect((await waitForRun(db, runId, ['cancelled'])).error).toMatch(/who took over the conversation$/);
    });

    it('an agent takes over: the run stops, the customer\'s next message is theirs, and nothing else is stopped', async () => {
      const { runId, conversation } = await ask({});
      await waiting(runId);
      const agent = server.api((await server.createUser('agent', { name: 'Alex <b>Agent</b>' })).token);
      const url = `/conversations/${conversation.id}/awaiting-answer/take-over`;
      // A run the agent was not told of (another question asked since) is not stopped.
      expect((await agent.post(url, { runId: 'run_other' })).body).toMatchObject({ stoppedRunId: null, awaitingAnswer: { runId } });
      expect((await waiting(runId)).status).toBe('waiting');

      const taken = await agent.post(url, { runId });
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      const alex = (await agent.get('/me')).body.user.id;
      // The first Take over (of a run not waiting) already gave Alex the conversation.
      expect(taken.body).toEqual({ stoppedRunId: runId, cancelledRunIds: [], awaitingAnswer: null, awaitingAnswers: [], assignment: { outcome: 'yours', assigneeId: alex } });
      const stopped = await waitForRun(server.app.services.db, runId, ['cancelled']);
      expect(stopped.error).toBe('Stopped by Alex <b>Agent</b>, who took over the conversation');
      expect(await server.app.services.db.selectFrom('question_waits').select('run_id').where('run_id', '=', runId).execute()).toEqual([]);
      // The reply is the agent's: a message, not an answer; no step after the question ran.
      expect((await reply(conversation.id, '4711')).status).toBe(201);
      await new Promise((r) => setTimeout(r, 300));
      expect((await waitForRun(server.app.services.db, runId, ['cancelled'])).stepLog.some((e) => e.stepId === 'ok')).toBe(false);
      expect((await messages(conversation.id)).filter((m) => m.kind === 'comment')).toEqual([]);
      // Asked again (a colleague was faster): the state wanted, said as such.
      expect((await agent.post(url, {})).body).toEqual({ stoppedRunId: null, cancelledRunIds: [], awaitingAnswer: null, awaitingAnswers: [], assignment: { outcome: 'yours', assigneeId: alex } });
    });

    it('taking over: an unknown conversation 404, a body with anything else 422, no body at all is {} (app keys: the authorization matrix)', async () => {
      const { runId, conversation } = await ask({});
      await waiting(runId);
      const url = `/conversations/${conversation.id}/awaiting-answer/take-over`;
      expect((await admin.post('/conversations/cnv_nope/awaiting-answer/take-over', {})).status).toBe(404);
      const bad = await admin.post(url, { runId: runId, force: true });
      expect(bad.status).toBe(422);
      expect(JSON.stringify(bad.body)).toMatch(/force/);
      expect((await waiting(runId)).status).toBe('waiting');
      // No body at all is the same as {}: whatever waits is stopped.
      const bare = await fetch(`${server.url}/api/v1${url}`, { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}` } });
      expect(bare.status).toBe(200);
      expect(await bare.json()).toMatchObject({ stoppedRunId: runId });
    });

    it('takes the invalid branch after the retries', async () => {
      const { runId, conversation } = await ask({ retries: 0 });
      await waiting(runId);
      await reply(conversation.id, 'soon');
      const done = await waitForRun(server.app.services.db, runId);
      expect(done.stepLog.find((e) => e.stepId === 'ask' && (e.output as { outcome?: string })?.outcome)).toMatchObject({ output: { outcome: 'invalid', reply: 'soon', reason: 'not a number' } });
      expect((await messages(conversation.id)).filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(['invalid', 'end']);
    });

    it('takes the timed-out branch when no reply comes before the timeout', async () => {
      const { runId, conversation } = await ask({});
      await waiting(runId);
      // The timeout is at least a minute: move it (and the run's wake time) into the past.
      const past = new Date(Date.now() - 1000).toISOString();
      const db = server.app.services.db;
      await db.updateTable('question_waits').set({ expires_at: past }).where('run_id', '=', runId).execute();
      await db.updateTable('runs').set({ wake_at: past }).where('id', '=', runId).execute();
      server.app.services.runSignal.notify();
      await waitForRun(db, runId);
      expect((await messages(conversation.id)).filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(['timed out', 'end']);
      // A late reply finds no question waiting and is just a message.
      expect((await reply(conversation.id, '12')).status).toBe(201);
    });

    it('on a WhatsApp conversation whose 24-hour window is closed, fails with the reason and leaves no wait behind', async () => {
      const db = server.app.services.db;
      const now = new Date().toISOString();
      await db.insertInto('connections').values({ id: 'cnx_wa', kind: 'whatsapp', name: 'WA', config: '{}', secrets: '', status: 'active', last_synced_at: null, last_error: null, created_at: now, updated_at: now }).execute();
      const wf = await createWorkflow(server, { name: 'Ask WA', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['wa'] },
        steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Q?', answerType: 'text' } }] });
      const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body);
      const conversation = (await admin.post('/conversations', { contactId: contact.id })).body as { id: string };
      await db.updateTable('conversations').set({ connection_id: 'cnx_wa' }).where('id', '=', conversation.id).execute();
      await admin.post(`/contacts/${contact.id}/tags`, { tags: ['wa'] });
      const [run] = await runsOf(server, wf.id);
      const done = await waitForRun(db, run!.id);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/^Not asked: The 24-hour window is closed/);
      // Nothing was sent or stored as sent; the thread's activity line says the workflow failed.
      const thread = await messages(conversation.id);
      expect(thread.filter((m) => m.kind !== 'activity')).toEqual([]);
      expect(thread.map((m) => m.text)).toEqual([expect.stringMatching(/^Workflow “Ask WA” failed at step “ask”: Not asked: The 24-hour window is closed/)]);
      expect(await db.selectFrom('question_waits').selectAll().where('run_id', '=', run!.id).execute()).toEqual([]);
    });

    it('a cancelled run\'s question does not take the reply meant for a later one', async () => {
      const { runId, conversation } = await ask({});
      await waiting(runId);
      expect((await admin.post(`/runs/${runId}/cancel`)).status).toBe(200);
      expect(await server.app.services.db.selectFrom('question_waits').selectAll().where('run_id', '=', runId).execute()).toEqual([]);
      const later = await createWorkflow(server, {
        name: 'Later', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['again'] },
        steps: [{ id: 'q', type: 'ask_question', config: { question: 'Size?', answerType: 'choice', choices: ['S', 'L'], saveToVariable: 'size' } }, note('n', 'size {{$step.size}}')],
      });
      const contactId = (await admin.get(`/conversations/${conversation.id}`)).body.contactId as string;
      await admin.post(`/contacts/${contactId}/tags`, { tags: ['again'] });
      const [run] = await runsOf(server, later.id);
      await waiting(run!.id);
      await reply(conversation.id, '2');
      expect(await waitForRun(server.app.services.db, run!.id)).toMatchObject({ status: 'completed' });
      expect((await messages(conversation.id)).map((m) => m.text)).toContain('size L');
    });

    it.each([
      [{ answerType: 'choice', choices: ['Yes'] }, /at least two choices/],
      [{ answerType: 'choice', choices: ['A', 'B', 'C', 'D'], presentation: 'buttons' }, /at most 3 choices/],
      [{ timeoutSeconds: 10 }, /at least 60 seconds/],
      [{ saveToField: 'nope' }, /no contact field "nope"/],
    ])('refuses %j with 422', async (config, message) => {
      const res = await admin.post('/workflows', {
        name: 'Ask', status: 'published', trigger: { type: 'manual' },
        steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Q?', answerType: 'text', ...config } }],
      });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(message);
    });
  });
}
