import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { startTestServer, type TestServer } from '../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './webhooks/support';

// Only jumps back count toward the 10-jump limit: a path of forward jumps cannot loop.
let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const post = (path: string, body: unknown) => server.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('jump limit', () => {
  it('a workflow with 12 forward jump_to steps (branch, then jump to the end) completes', async () => {
    // 12 blocks: a branch to the block's jump when `go` is "skip", else on; a tag; a
    // jump_to the next block (the last one to the end). Every jump goes forward.
    const blocks = Array.from({ length: 12 }, (_, i): StepInput[] => [
      { id: `b${i}`, type: 'branch', config: { branches: [{ name: 'skip', conditions: { logic: 'and', rules: [{ left: '{{$trigger.go}}', operator: 'is', right: 'skip' }] }, goTo: `j${i}` }] } },
      { id: `c${i}`, type: 'update_contact_tag', config: { action: 'add', tags: [`block-${i}`] } },
      { id: `j${i}`, type: 'jump_to', config: { stepId: i === 11 ? 'end' : `b${i + 1}` } },
    ]).flat();
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.go', variable: 'go' }] },
      [...blocks, { id: 'end', type: 'update_contact_tag', config: { action: 'add', tags: ['end'] } }]);
    const ack = await post(hook.path, { phone: '+14155550123', go: 'on' });
    expect(ack.status, JSON.stringify(ack.body)).toBe(202);
    const run = await waitForRun(server, ack.body.runIds[0]);
    expect(run.error).toBeNull();
    expect(run.status).toBe('completed');
    expect(run.stepLog.filter((s: { type: string }) => s.type === 'jump_to')).toHaveLength(12);
    expect(run.stepLog.at(-1).stepId).toBe('end');
  });

  it('a loop that jumps back an 11th time fails, saying what to do', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, {}, [
      { id: 'again', type: 'update_contact_tag', config: { action: 'add', tags: ['again'] } },
      { id: 'back', type: 'jump_to', config: { stepId: 'again' } },
    ]);
    const ack = await post(hook.path, { phone: '+14155550123', order: { id: 'A-1' } });
    const run = await waitForRun(server, ack.body.runIds[0]);
    expect(run.status).toBe('failed');
    expect(run.stepLog.filter((s: { stepId: string }) => s.stepId === 'again')).toHaveLength(11);
    expect(run.error).toBe('Too many jumps back: a run may jump back (loop) at most 10 times, and step "back" jumping back to "again" was jump 11; '
      + 'jumps forward do not count. Let the loop end within 10 rounds (a Branch that goes forward once it is done).');
  });
});
