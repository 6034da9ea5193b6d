import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail } from '../../lib/contracts/conversations';
import type { LiveMessage } from '../../lib/contracts/events';
import { Run } from '../../lib/contracts/runs';
import { openSse, type SseClient } from '../support/sse';
import { startTestServer, type Api, type TestServer } from '../support/server';

const ADVICE = 'COMPANION_ALLOW_PRIVATE_URLS';

/**
 * Registered by agent-run-errors.test.ts (SQLite) and .pg.test.ts (PostgreSQL). The agent who
 * launched a run follows it in the launcher's toast, which reads GET /runs/:id and the run's
 * `run.updated` pushes. A request the server's address policy refused failed with the operator's
 * advice ("…add "127.0.0.1" to COMPANION_ALLOW_PRIVATE_URLS…"), which the toast showed the agent
 * while the thread's line said "the request was refused". Now the agent reads the thread's words
 * everywhere; admins and supervisors still read the error whole (the run history).
 */
export function agentRunErrorsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let clients: SseClient[] = [];
  beforeEach(async () => {
    // No COMPANION_ALLOW_PRIVATE_URLS: a step's request to a loopback address is refused.
    server = await startTestServer({ databaseUrl: databaseUrl() });
  });
  afterEach(async () => {
    for (const c of clients) c.close();
    clients = [];
    await server.close();
  });

  async function listen(token: string) {
    const sse = await openSse(`${server.url}/api/v1/events/stream`, { authorization: `Bearer ${token}` });
    clients.push(sse);
    await sse.waitFor(/: connected/);
    return sse;
  }
  async function failed(sse: SseClient, runId: string): Promise<Extract<LiveMessage, { type: 'run.updated' }>> {
    for (;;) {
      const m = await sse.next('run.updated', 10_000);
      if (m.type === 'run.updated' && m.runId === runId && m.status === 'failed') return m;
    }
  }
  const runAs = async (api: Api, id: string) => {
    const res = await api.get(`/runs/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return Run.parse(res.body);
  };

  it('a refused request: its launcher reads "the request was refused" in the push and the run, as the thread says it; admins and supervisors the whole error', async () => {
    const admin = server.api(server.adminToken);
    const launcher = await server.createUser('agent', { name: 'Ava' });
    const supervisor = await server.createUser('supervisor', { name: 'Sam' });
    const wf = (await admin.post('/workflows', {
      name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync' }, status: 'published',
      steps: [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: 'http://127.0.0.1:9/crm', body: '{}' } }],
    })).body;
    const contact = (await admin.post('/contacts', { firstName: 'Lena' })).body;
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    const streams = { admin: await listen(server.adminToken), supervisor: await listen(supervisor.token), launcher: await listen(launcher.token) };
    const launched = await server.api(launcher.token).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const runId = launched.body.runId as string;

    expect((await failed(streams.launcher, runId)).error).toBe('the request was refused');
    expect(streams.launcher.text()).not.toContain(ADVICE);
    const mine = await runAs(server.api(launcher.token), runId);
    expect(mine.error).toBe('the request was refused');
    expect(mine.stepLog.at(-1)).toMatchObject({ stepId: 'crm', status: 'failed', error: 'the request was refused' });
    expect(JSON.stringify(mine)).not.toContain(ADVICE);
    // The thread says the same words.
    const lines = ConversationDetail.parse((await server.api(launcher.token).get(`/conversations/${conversation}`)).body).messages
      .filter((m) => m.kind === 'activity' && m.author.type === 'workflow').map((m) => m.text);
    expect(lines).toEqual(['Workflow “Sync to CRM” failed at step “crm”: the request was refused']);

    for (const [who, token] of [['admin', server.adminToken], ['supervisor', supervisor.token]] as const) {
      expect((await failed(streams[who], runId)).error, who).toContain(`to ${ADVICE}`);
      const whole = await runAs(server.api(token), runId);
      expect(whole.error, who).toContain(`to ${ADVICE}`);
      expect(whole.stepLog.at(-1)?.error, who).toBe(whole.error);
    }
  });
}
