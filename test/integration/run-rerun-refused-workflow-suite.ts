import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ErrorBody } from '../../lib/contracts/errors';
import { Run, RunPage } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * A failed run whose workflow was unpublished or deleted since: the history's `rerunRefused` (and
 * `failedStep.refused`) say exactly what POST /runs/:id/rerun's 409 says, from the start or the
 * failed step. They were two near-copies ("Its workflow was deleted: …" beside "Workflow “X” was
 * deleted: …"). Registered by run-rerun-refused-workflow.test.ts (SQLite) and .pg.test.ts.
 */
export function runRerunRefusedWorkflowSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let crm: HttpServer;
  let admin: Api;
  let sam: Api;

  beforeEach(async () => {
    // The CRM's route is gone (404, not retried): the run fails at its second step.
    crm = await startHttpServer((_req, res) => { res.statusCode = 404; res.end('{"error":"no such route"}'); });
    server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    admin = server.api(server.adminToken);
    sam = server.api((await server.createUser('supervisor', { name: 'Sam Supervisor' })).token);
  });
  afterEach(async () => {
    await server.close();
    await crm.close();
  });

  const refusal = async (id: string, from?: 'failed_step') => ErrorBody.parse((await sam.post(`/runs/${id}/rerun`, from ? { from } : undefined)).body).error;
  const fromHistory = async (id: string) => {
    const listed = RunPage.parse((await sam.get('/runs?status=failed')).body).runs.find((r) => r.id === id);
    const own = Run.parse((await sam.get(`/runs/${id}`)).body);
    expect(listed).toBeDefined();
    return [listed!, own].map((r) => ({ rerunRefused: r.rerunRefused, failedStepRefused: r.failedStep?.refused }));
  };

  async function failedRun() {
    const wf = await createWorkflow(server, shortcutWorkflow({ name: 'Escalate', trigger: { type: 'shortcut', name: 'Escalate' }, steps: [
      { id: 'note', type: 'add_comment', config: { text: 'Escalating' } },
      { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm`, body: '{}' } },
    ] as StepInput[] }));
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const conversationId = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    const agent = server.api((await server.createUser('agent', { name: 'Ava Agent' })).token);
    const launched = await agent.post(`/shortcuts/${wf.id}/launch`, { conversationId, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const failed = await waitForRun(server.app.services.db, launched.body.runId);
    expect(failed.status).toBe('failed');
    return { workflowId: wf.id, runId: failed.id };
  }

  it.each([
    ['unpublished', 'workflow_not_published', 'Workflow “Escalate” is not published: publish it to run its runs again (a run again follows the published version)'],
    ['deleted', 'workflow_deleted', 'Workflow “Escalate” was deleted: its runs cannot run again'],
  ])('%s: the history says the 409\'s words, from the start and from the failed step', async (what, code, words) => {
    const { workflowId, runId } = await failedRun();
    expect((await admin.post(`/workflows/${workflowId}/unpublish`)).status).toBe(200);
    if (what === 'deleted') expect((await admin.del(`/workflows/${workflowId}`)).status).toBe(204);

    const refused = await refusal(runId);
    expect(refused).toMatchObject({ code, message: words });
    expect((await refusal(runId, 'failed_step')).message).toBe(refused.message);
    const same = { rerunRefused: refused.message, failedStepRefused: refused.message };
    expect(await fromHistory(runId)).toEqual([same, same]);
  });
}
