import { afterEach, expect, it } from 'vitest';
import { stepRegistry } from '../../server/engine/steps/registry';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';

// A step's request is sent at most once because its attempt is committed before it goes
// (step-context.ts, once with an attempt). Only a step that runs outside a transaction has it
// committed: written in a run round's transaction, the marker would roll back with a crash and
// the request would go again. A step declared otherwise is refused at its first use, loudly,
// before anything is sent: here HTTP Request, made to run in a transaction for the test.

let server: TestServer | undefined;
let remote: HttpServer | undefined;
const definition = stepRegistry.http_request as { outside?: unknown };
const declared = definition.outside;
afterEach(async () => {
  definition.outside = declared;
  await server?.close();
  await remote?.close();
  server = remote = undefined;
});

it('a step marking its attempt inside a transaction fails saying so, and sends nothing', async () => {
  let hits = 0;
  remote = await startHttpServer((_req, res) => { hits++; res.end('{}'); });
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  definition.outside = false;
  const services = server.app.services;
  const { contact } = await insertContact(services);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'call', type: 'http_request', config: { method: 'POST', url: `${remote.url}/orders`, body: '{}' } }] }));
  const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
  services.runSignal.notify();
  const run = await waitForRun(services.db, runId);
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(/Step http_request passes an attempt to once\(\) but runs in a transaction/);
  expect(hits).toBe(0);
});
