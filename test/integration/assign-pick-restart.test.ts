import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createUser } from '../../server/domain/users';
import { startServer, type RunningServer } from '../../server/server';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';

// The round robin's turn lives in the database: a server started again on the same file goes on
// from whoever had the last turn, rather than from the top of the list.
let dir: string;
let server: RunningServer | undefined;
const start = () => startServer({ env: { COMPANION_DEMO: '0' }, config: { port: 0, dataDir: dir }, logger: false });
afterEach(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

it('round robin goes on after a restart from whoever had the last turn', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'companion-assign-turns-'));
  server = await start();
  const users: string[] = [];
  for (const name of ['Ana', 'Bo', 'Cy']) users.push((await createUser(server.app.services.db, { name, email: `${name.toLowerCase()}@example.com`, role: 'agent' })).user.id);
  const wf = (await insertWorkflow(server.app.services.db, makeWorkflow({ steps: [{ id: 'assign', type: 'assign_to', config: { pick: 'round_robin', userIds: users } }] }))).id;
  const runOnce = async () => {
    const services = server!.app.services;
    const { contact, conversation } = await insertContact(services);
    const runId = await insertRun(services.db, { workflowId: wf, contactId: contact.id, conversationId: conversation!.id });
    services.runSignal.notify();
    const run = await waitForRun(services.db, runId);
    expect(run.status, run.error ?? '').toBe('completed');
    return (run.stepLog[0]!.output as { assigneeId: string }).assigneeId;
  };
  expect([await runOnce(), await runOnce()]).toEqual([users[0], users[1]]);
  await server.close();
  server = await start();
  expect([await runOnce(), await runOnce()]).toEqual([users[2], users[0]]);
});
