import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { httpStepCancelSuite } from './http-step-cancel-suite';

const ALLOW = { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' };

describe('cancelling a run during its HTTP request step (SQLite, executed in the same process)', () => {
  let server: TestServer;
  beforeEach(async () => { server = await startTestServer({ env: ALLOW }); });
  afterEach(async () => { await server.close(); });
  httpStepCancelSuite(() => ({ url: server.url, token: server.adminToken, services: server.app.services }));
});

// Production's SQLite setup: the cancel comes to the main thread, the run executes on the
// executor thread; the cancel crosses the thread's port.
describe('cancelling a run during its HTTP request step (SQLite, executed on the executor thread)', () => {
  let dir: string;
  let server: TestServer;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'companion-cancel-'));
    server = await startTestServer({ sqliteFile: path.join(dir, 'companion.sqlite'), env: { ...ALLOW, COMPANION_EXECUTOR_THREAD: '1' } });
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  httpStepCancelSuite(() => ({ url: server.url, token: server.adminToken, services: server.app.services }));
});
