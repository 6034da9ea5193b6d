import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { type Api, type TestServer } from '../support/server';
import { eachAdminAndAgentServer } from '../support/each-server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * Registered by failure-line.test.ts (SQLite) and .pg.test.ts (PostgreSQL). The line a failed
 * run leaves in its conversation is the agents': it names the workflow and the step, and a request
 * this server's address policy refused is said plainly. Before, every agent read the operator's
 * advice there ("…add "127.0.0.1" to COMPANION_ALLOW_PRIVATE_URLS…"); it stays in the run log.
 * An answer that failed an HTTP step is said by its status: what the other side answered (which
 * may quote the request's credentials) stays in the run log, masked.
 */
export function failureLineSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: Api;
  let remote: HttpServer | undefined;
  // No COMPANION_ALLOW_PRIVATE_URLS: a step's request to a loopback address is refused.
  const restart = eachAdminAndAgentServer(databaseUrl, 'Ava', (s, a, agent) => { server = s; admin = a; ava = agent; });
  beforeEach(async () => {
    remote = await startHttpServer((req, res) => { req.resume(); res.writeHead(500).end('boom'); });
  });
  afterEach(async () => { await remote?.close(); });

  async function failedIn(name: string, steps: StepInput[]) {
    const wf = await createWorkflow(server, shortcutWorkflow({ name, trigger: { type: 'shortcut', name }, steps }));
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    const launched = await ava.post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const run = await waitForRun(server.app.services.db, launched.body.runId as string);
    expect(run.status).toBe('failed');
    const lines = ConversationDetail.parse((await ava.get(`/conversations/${conversation}`)).body).messages
      .filter((m) => m.kind === 'activity' && m.author.type === 'workflow').map((m) => m.text);
    return { run: Run.parse((await admin.get(`/runs/${run.id}`)).body), lines };
  }

  it('a request the server refused: agents read "the request was refused"; the run log keeps how to allow it', async () => {
    const { run, lines } = await failedIn('Sync to CRM', [
      { id: 'note', type: 'add_comment', config: { text: 'syncing' } },
      { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${remote!.url}/crm`, body: '{}' } } as StepInput,
    ]);
    expect(lines).toEqual(['Workflow “Sync to CRM” failed at step “crm”: the request was refused']);
    expect(run.error).toContain('to COMPANION_ALLOW_PRIVATE_URLS');
    expect(run.stepLog.at(-1)).toMatchObject({ stepId: 'crm', status: 'failed', error: run.error });
  });

  it('an answer that failed the step: agents read its status, not what the other side said; the run log keeps that', async () => {
    await restart({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    const { run, lines } = await failedIn('Set amount', [{ id: 'set', type: 'http_request', config: { method: 'POST', url: `${remote!.url}/amounts`, body: '{}' } } as StepInput]);
    expect(run.error).toBe(`POST ${remote!.url}/amounts answered HTTP 500: boom`);
    expect(lines).toEqual([`Workflow “Set amount” failed at step “set”: POST ${remote!.url}/amounts answered HTTP 500`]);
  });
}
