import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { listMessages } from '../../server/domain/conversations';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { getRun, insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

// POST /api/v1/runs/:id/cancel — an admin stops a run that has not ended, as n8n's "stop execution".
let server: TestServer | undefined;
let remote: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  await remote?.close();
  server = remote = undefined;
});

const HOUR = 3600;

async function setup(steps: StepInput[], env: NodeJS.ProcessEnv = {}) {
  server = await startTestServer({ env });
  const services = server.app.services;
  const { contact, conversation } = await insertContact(services);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps }));
  const admin = await server.createUser('admin', { name: 'Grace Admin' });
  const cancel = (id: string) => server!.api(admin.token).post(`/runs/${id}/cancel`);
  const start = async () => {
    const id = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id });
    services.runSignal.notify();
    return id;
  };
  return { services, conversation: conversation!, wf, cancel, start };
}

describe('cancelling a run', () => {
  it('a waiting run is cancelled at once and never resumes; the answer is the run', async () => {
    const { services, conversation, cancel, start } = await setup([
      { id: 'pause', type: 'wait', config: { seconds: HOUR } },
      { id: 'note', type: 'add_comment', config: { text: 'after the wait' } },
    ]);
    const id = await start();
    await waitForRun(services.db, id, ['waiting']);
    const res = await cancel(id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Run.parse(res.body)).toMatchObject({ id, status: 'cancelled', error: 'Cancelled by Grace Admin', wakeAt: null });
    expect((await getRun(services.db, id)).endedAt).not.toBeNull();
    // Nothing of the run's; its conversation says who stopped it (an activity line).
    expect((await listMessages(services.db, conversation.id)).map((m) => [m.kind, m.text])).toEqual([['activity', 'Workflow “Test workflow” stopped: cancelled by Grace Admin']]);
  });

  it('the next run of the same contact in the workflow starts once the one before it is cancelled', async () => {
    const { services, cancel, start } = await setup([{ id: 'pause', type: 'wait', config: { seconds: HOUR } }]);
    const first = await start();
    await waitForRun(services.db, first, ['waiting']);
    const second = await start();
    // Behind `first`: it does not start while `first` waits.
    await new Promise((r) => setTimeout(r, 300));
    expect((await getRun(services.db, second)).status).toBe('queued');
    expect((await cancel(first)).status).toBe(200);
    expect((await waitForRun(services.db, second, ['waiting'])).stepLog.map((s) => s.stepId)).toEqual(['pause']);
  });

  it('a running run stops at its step: its request is dropped, the log says so, and no later step runs', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let called = 0;
    remote = await startHttpServer(async (_req, res) => {
      called++;
      await held;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ticket: 'T-1' }));
    });
    const { services, conversation, cancel, start } = await setup([
      { id: 'call', type: 'http_request', config: { method: 'GET', url: `${remote.url}/slow`, responseMappings: [{ jsonKey: '$.ticket', variable: 'ticket' }] } },
      { id: 'note', type: 'add_comment', config: { text: 'ticket {{$step.ticket}}' } },
    ], { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' });
    const id = await start();
    await waitFor('the call to be made', async () => (called > 0 ? true : undefined));
    expect((await getRun(services.db, id)).status).toBe('running');
    expect((await cancel(id)).status).toBe(200);
    release();
    // The executor's checkpoint is refused: no variable, no later step; the request it sent is in the log.
    await new Promise((r) => setTimeout(r, 500));
    const after = await getRun(services.db, id);
    expect(after).toMatchObject({ status: 'cancelled', cursor: 0 });
    expect(after.stepLog).toEqual([expect.objectContaining({ stepId: 'call', status: 'failed', error: expect.stringMatching(/cancelled during attempt 1: its request had been sent/) })]);
    expect(after.variables).not.toHaveProperty('step');
    expect((await listMessages(services.db, conversation.id)).filter((m) => m.kind !== 'activity')).toEqual([]);
    expect(called).toBe(1);
  });

  it('an ended run answers 409 and an unknown one 404', async () => {
    const { services, cancel, start } = await setup([{ id: 'note', type: 'add_comment', config: { text: 'done' } }]);
    const id = await start();
    await waitForRun(services.db, id);
    const ended = await cancel(id);
    expect(ended.status).toBe(409);
    expect(ErrorBody.parse(ended.body).error).toMatchObject({ code: 'run_ended', message: `Run ${id} has already ended (completed)` });
    expect((await getRun(services.db, id)).status).toBe('completed');
    expect((await cancel('run_nope')).status).toBe(404);
  });
});
