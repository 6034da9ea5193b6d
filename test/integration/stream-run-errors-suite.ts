import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../lib/contracts/events';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { openSse, type SseClient } from '../support/sse';
import { startTestServer, type TestServer } from '../support/server';

/**
 * A run's error can quote a third party's answer (an HTTP step's response body). The live stream
 * gives it only to those who may read the run (GET /runs/:id): admins, supervisors (the run
 * history) and the agent who launched it, who reads it as the thread says it (the answer's
 * status, not the answer). Other agents still hear that the run changed, without the error.
 * Registered by stream-run-errors.test.ts (SQLite) and stream-run-errors.pg.test.ts.
 */
export function streamRunErrorsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let remote: HttpServer;
  let clients: SseClient[] = [];
  beforeEach(async () => {
    remote = await startHttpServer((_req, res) => {
      res.statusCode = 403;
      res.setHeader('content-type', 'application/json');
      res.end('{"internal":"db-password=hunter2"}');
    });
    server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  });
  afterEach(async () => {
    for (const c of clients) c.close();
    clients = [];
    await server.close();
    await remote.close();
  });

  const admin = () => server.api(server.adminToken);
  const step = () => ({ id: 'call', type: 'http_request', config: { method: 'POST', url: `${remote.url}/fail` } });

  async function listen(token: string) {
    const sse = await openSse(`${server.url}/api/v1/events/stream`, { authorization: `Bearer ${token}` });
    clients.push(sse);
    await sse.waitFor(/: connected/);
    return sse;
  }

  /** The run.updated frame of this run with this status. */
  async function update(sse: SseClient, runId: string, status: string): Promise<Extract<LiveMessage, { type: 'run.updated' }>> {
    for (;;) {
      const m = await sse.next('run.updated', 10_000);
      if (m.type === 'run.updated' && m.runId === runId && m.status === status) return m;
    }
  }

  async function conversation() {
    const contact = (await admin().post('/contacts', { firstName: 'Ada' })).body;
    return (await admin().post('/conversations', { contactId: contact.id })).body.id as string;
  }

  describe('run.updated on the live stream', () => {
    it('carries a failed run\'s error to admins, supervisors and its launcher only', async () => {
      const launcher = await server.createUser('agent');
      const other = await server.createUser('agent');
      const supervisor = await server.createUser('supervisor');
      const wf = (await admin().post('/workflows', { name: 'Check', trigger: { type: 'shortcut', name: 'Check' }, steps: [step()], status: 'published' })).body;
      const streams = { admin: await listen(server.adminToken), launcher: await listen(launcher.token), other: await listen(other.token), supervisor: await listen(supervisor.token) };
      const launched = await server.api(launcher.token).post(`/shortcuts/${wf.id}/launch`, { conversationId: await conversation(), values: {} });
      expect(launched.status, JSON.stringify(launched.body)).toBe(202);
      const runId = launched.body.runId as string;

      for (const reader of ['admin', 'supervisor'] as const) {
        const m = await update(streams[reader], runId, 'failed');
        expect(m.error, reader).toMatch(/answered HTTP 403: .*db-password=hunter2/);
      }
      // The launcher's toast says what the thread says: the status, not the third party's answer.
      expect((await update(streams.launcher, runId, 'failed')).error).toBe(`POST ${remote.url}/fail answered HTTP 403`);
      expect(streams.launcher.text()).not.toContain('hunter2');
      for (const reader of ['other'] as const) {
        expect(await update(streams[reader], runId, 'failed'), reader).toEqual({ type: 'run.updated', runId, workflowId: wf.id, status: 'failed' });
        expect(streams[reader].text(), reader).not.toContain('hunter2');
      }
      // No reader is told who launched it: that is the stream's own routing.
      for (const sse of Object.values(streams)) expect(sse.text()).not.toContain('launchedBy');
    });

    it('carries the error of a run an admin started to admins (and supervisors), not agents', async () => {
      const agent = await server.createUser('agent');
      const wf = (await admin().post('/workflows', { name: 'Sub flow', trigger: { type: 'manual' }, steps: [step()], status: 'published' })).body;
      const contact = (await admin().post('/contacts', { firstName: 'Ada' })).body;
      const [adminStream, agentStream] = [await listen(server.adminToken), await listen(agent.token)];
      const started = await admin().post(`/workflows/${wf.id}/start`, { contact: { id: contact.id } });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const runId = started.body.runIds[0] as string;
      expect((await update(adminStream, runId, 'failed')).error).toMatch(/hunter2/);
      expect(await update(agentStream, runId, 'failed')).not.toHaveProperty('error');
      expect(agentStream.text()).not.toContain('hunter2');
    });

    it('says why a cancelled run stopped to its launcher, not to other agents', async () => {
      const launcher = await server.createUser('agent');
      const other = await server.createUser('agent');
      const wf = (await admin().post('/workflows', {
        name: 'Later', trigger: { type: 'shortcut', name: 'Later' }, status: 'published',
        steps: [{ id: 'wait', type: 'wait', config: { seconds: 3600 } }],
      })).body;
      const [mine, theirs] = [await listen(launcher.token), await listen(other.token)];
      const runId = (await server.api(launcher.token).post(`/shortcuts/${wf.id}/launch`, { conversationId: await conversation(), values: {} })).body.runId as string;
      await update(mine, runId, 'waiting');
      expect((await admin().post(`/runs/${runId}/cancel`)).status).toBe(200);
      expect((await update(mine, runId, 'cancelled')).error).toMatch(/^Cancelled by /);
      expect(await update(theirs, runId, 'cancelled')).not.toHaveProperty('error');
    });

    it('says why runs cancelled with their workflow stopped to their launcher, not to other agents', async () => {
      const launcher = await server.createUser('agent');
      const other = await server.createUser('agent');
      const wf = (await admin().post('/workflows', {
        name: 'Later', trigger: { type: 'shortcut', name: 'Later' }, status: 'published',
        steps: [{ id: 'wait', type: 'wait', config: { seconds: 3600 } }],
      })).body;
      const [mine, theirs] = [await listen(launcher.token), await listen(other.token)];
      const runId = (await server.api(launcher.token).post(`/shortcuts/${wf.id}/launch`, { conversationId: await conversation(), values: {} })).body.runId as string;
      await update(mine, runId, 'waiting');
      expect((await admin().post(`/workflows/${wf.id}/unpublish`, { cancelRuns: true })).status).toBe(200);
      expect((await update(mine, runId, 'cancelled')).error).toMatch(/who unpublished the workflow$/);
      expect(await update(theirs, runId, 'cancelled')).not.toHaveProperty('error');
    });
  });
}
