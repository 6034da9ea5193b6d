import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { addMessage, listMessages } from '../../../server/domain/conversations';
import { inTransaction } from '../../../server/events/unit-of-work';
import { startServer, type RunningServer } from '../../../server/server';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../../support/builders';

// Ask a Question waits durably: the question is asked, the server stops, a new process starts on
// the same SQLite file, and the contact's reply (arriving to the new process) completes the run.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const start = (dataDir: string): Promise<RunningServer> =>
  startServer({ env: { COMPANION_DEMO: '0' }, config: { port: 0, dataDir }, logger: false, workers: true });

it('a run waiting on a question survives a restart and takes the reply that arrives afterwards', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-ask-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const first = await start(dataDir);
  const { contact, conversation } = await insertContact(first.app.services);
  const wf = await insertWorkflow(first.app.services.db, makeWorkflow({ steps: [
    { id: 'ask', type: 'ask_question', config: { question: 'Email?', answerType: 'email', saveToVariable: 'email' } },
    { id: 'after', type: 'add_comment', config: { text: 'email={{$step.email}}' } },
  ] }));
  const runId = await insertRun(first.app.services.db, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id });
  first.app.services.runSignal.notify();
  await waitForRun(first.app.services.db, runId, ['waiting']);
  await first.close();

  const second = await start(dataDir);
  cleanups.push(() => second.close());
  const services = second.app.services;
  expect((await waitForRun(services.db, runId, ['waiting', 'completed', 'failed'])).status).toBe('waiting');
  await inTransaction(services.db, (uow) => addMessage(uow, services, conversation!.id, {
    text: 'Ada@Example.com', direction: 'incoming', kind: 'message', author: { type: 'contact', id: null },
  }, { source: 'contact' }));
  const done = await waitForRun(services.db, runId);
  expect(done.status).toBe('completed');
  expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(['Email?', 'Ada@Example.com', 'email=ada@example.com']);
});
