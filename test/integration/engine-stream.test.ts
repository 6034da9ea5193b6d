import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workflow } from '../../lib/contracts/workflow';
import { shortcutsVersion } from '../../server/engine/shortcuts/version';
import { openSse, type SseClient } from '../support/sse';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, makeContact, openFor, shortcutWorkflow } from './engine-support';

let server: TestServer;
let clients: SseClient[] = [];
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await server.close();
});

const stream = async (query = '', headers: Record<string, string> = {}) => {
  const client = await openSse(`${server.url}/api/v1/events/stream${query}`, headers);
  clients.push(client);
  return client;
};

describe('GET /api/v1/events/stream', () => {
  it('accepts the token as a bearer or as ?token=, and refuses without one', async () => {
    const { token } = await server.createUser('agent');
    const byQuery = await stream(`?token=${token}`);
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await stream('', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await stream()).status).toBe(401);
    expect((await stream('?token=nope')).status).toBe(401);
  });

  it('sends definitions.changed with the shortcuts version on every workflow change', async () => {
    const sse = await stream(`?token=${server.adminToken}`);
    await sse.waitFor(/: connected/);
    const wf = await createWorkflow(server, shortcutWorkflow(), false);
    const created = await sse.next('definitions.changed');
    await server.api(server.adminToken).post(`/workflows/${wf.id}/publish`);
    const published = await sse.next('definitions.changed');
    expect(published).toEqual({ type: 'definitions.changed', version: await shortcutsVersion(server.app.services.db) });
    expect(published).not.toEqual(created);
    await server.api(server.adminToken).del(`/workflows/${wf.id}`);
    await sse.next('definitions.changed');
  });

  it('sends restrictions.changed when a supervisor toggles shortcuts', async () => {
    const { token } = await server.createUser('agent');
    const supervisor = await server.createUser('supervisor');
    const sse = await stream(`?token=${token}`);
    await sse.waitFor(/: connected/);
    await server.api(supervisor.token).patch('/settings/restrictions', { agentsCanUseShortcuts: false });
    expect(await sse.next('restrictions.changed')).toMatchObject({ type: 'restrictions.changed', version: expect.any(String) });
  });

  it('sends run.updated when a launch queues a run', async () => {
    const wf = Workflow.parse(await createWorkflow(server, shortcutWorkflow()));
    const contact = await makeContact(server);
    const conversation = await openFor(server, contact.id);
    const sse = await stream(`?token=${server.adminToken}`);
    await sse.waitFor(/: connected/);
    const res = await server.api(server.adminToken).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: {} });
    expect(await sse.next('run.updated')).toMatchObject({ runId: res.body.runId, workflowId: wf.id, status: 'queued' });
  });

  it('answers an extension origin with CORS headers', async () => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const sse = await stream(`?token=${server.adminToken}`, { origin });
    expect(sse.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('lets the server close while clients are connected', async () => {
    const sse = await stream(`?token=${server.adminToken}`);
    await sse.waitFor(/: connected/);
    const outcome = await Promise.race([
      server.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting for the stream'), 3000)),
    ]);
    expect(outcome).toBe('closed');
    server = await startTestServer({ workers: false });
  });
});
