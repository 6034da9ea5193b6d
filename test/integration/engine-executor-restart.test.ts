import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listMessages } from '../../server/domain/conversations';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { startServer, type RunningServer } from '../../server/server';
import { openStore, type Store } from '../../server/store/database';
import { getRun, insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'companion-engine-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const start = (dataDir: string, workers = true): Promise<RunningServer> =>
  startServer({ env: { COMPANION_DEMO: '0' }, config: { port: 0, dataDir }, logger: false, workers });

describe('durable runs on a SQLite file', () => {
  it('a run waiting in `wait` resumes after the server is closed and a new one started', async () => {
    const dataDir = await tempDir();
    const first = await start(dataDir);
    const services = first.app.services;
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'before', type: 'add_comment', config: { text: 'before' } },
      { id: 'w', type: 'wait', config: { seconds: 2 } },
      { id: 'after', type: 'add_comment', config: { text: 'after' } },
    ] }));
    const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    services.runSignal.notify();
    const waiting = await waitForRun(services.db, runId, ['waiting']);
    await first.close();

    const second = await start(dataDir);
    cleanups.push(() => second.close());
    const done = await waitForRun(second.store.db, runId);
    expect(done.status).toBe('completed');
    expect(Date.parse(done.endedAt!)).toBeGreaterThanOrEqual(Date.parse(waiting.wakeAt!));
    expect((await listMessages(second.store.db, conversation!.id)).map((m) => m.text)).toEqual(['before', 'after']);
    expect(done.stepLog.map((e) => e.stepId)).toEqual(['before', 'w', 'after']);
  });

  it('a process killed with SIGKILL mid-run resumes from its checkpoint: each step runs once', async () => {
    const dataDir = await tempDir();
    let releaseHang: (() => void) | undefined;
    const hangHit = new Promise<void>((resolve) => { releaseHang = resolve; });
    let hangHits = 0;
    const remote: HttpServer = await startHttpServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/hang' && ++hangHits === 1) { releaseHang?.(); return; /* never answers: the process dies here */ }
      res.end(JSON.stringify({ path: req.url }));
    });
    cleanups.push(() => remote.close());
    const aHits = () => remote.hits - hangHits;

    // Seed the file with the server's own code, without workers.
    const seeder = await start(dataDir, false);
    const services = seeder.app.services;
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'c1', type: 'add_comment', config: { text: 'one' } },
      { id: 'h1', type: 'http_request', config: { method: 'GET', url: `${remote.url}/a` } },
      { id: 'h2', type: 'http_request', config: { method: 'GET', url: `${remote.url}/hang` } },
      { id: 'c2', type: 'add_comment', config: { text: 'two' } },
      { id: 's', type: 'send_message', config: { text: 'three' } },
    ] }));
    const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    await seeder.close();

    const store: Store = await openStore({ sqliteFile: path.join(dataDir, 'companion.sqlite') });
    cleanups.push(() => store.close());

    const firstChild = await spawnChild(dataDir);
    await hangHit;
    await killHard(firstChild);
    const between = await getRun(store.db, runId);
    expect(between).toMatchObject({ status: 'running', cursor: 2 });
    expect(between.stepLog.map((e) => e.stepId)).toEqual(['c1', 'h1']);

    const secondChild = await spawnChild(dataDir);
    cleanups.push(() => killHard(secondChild));
    const done = await waitForRun(store.db, runId, undefined, 30_000);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.map((e) => e.stepId)).toEqual(['c1', 'h1', 'h2', 'c2', 's']);
    expect(done.attempts).toBe(2);
    expect(aHits()).toBe(1);
    // The request in flight when the process died is the only thing done twice: a GET may be.
    expect(hangHits).toBe(2);
    expect(done.stepLog.find((e) => e.stepId === 'h2')?.notes).toContain('An earlier attempt went out before a restart (or a database outage) and its answer was not recorded; GET is safe to repeat, so it was sent again (same Idempotency-Key)');
    expect((await listMessages(store.db, conversation!.id)).map((m) => m.text)).toEqual(['one', 'two', 'three']);
  }, 90_000);

  it('a POST in flight when the process is killed with SIGKILL is not sent again: the step fails, its outcome unknown', async () => {
    const dataDir = await tempDir();
    let arrived: (() => void) | undefined;
    const hit = new Promise<void>((resolve) => { arrived = resolve; });
    const remote: HttpServer = await startHttpServer((req) => { req.resume(); arrived?.(); /* never answers: the process dies here */ });
    cleanups.push(() => remote.close());

    const seeder = await start(dataDir, false);
    const { contact, conversation } = await insertContact(seeder.app.services);
    const wf = await insertWorkflow(seeder.app.services.db, makeWorkflow({ steps: [
      { id: 'pay', type: 'http_request', config: { method: 'POST', url: `${remote.url}/charge`, body: '{"amount": 10}' } },
      { id: 'c', type: 'add_comment', config: { text: 'charged' } },
    ] }));
    const runId = await insertRun(seeder.app.services.db, { workflowId: wf.id, contactId: contact.id });
    await seeder.close();
    const store: Store = await openStore({ sqliteFile: path.join(dataDir, 'companion.sqlite') });
    cleanups.push(() => store.close());

    const firstChild = await spawnChild(dataDir);
    await hit;
    await killHard(firstChild);
    const secondChild = await spawnChild(dataDir);
    cleanups.push(() => killHard(secondChild));
    const done = await waitForRun(store.db, runId, undefined, 30_000);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/charge: an earlier attempt went out before a restart .* may or may not have acted on it; a POST is not sent again/);
    expect(remote.hits).toBe(1);
    expect(await listMessages(store.db, conversation!.id)).toEqual([]);
  }, 90_000);
});

async function spawnChild(dataDir: string): Promise<ChildProcess> {
  // Its own process group, so SIGKILL reaches npx and the node process it starts.
  const child = spawn('npx', ['tsx', 'test/support/engine-child.ts', dataDir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (d) => { output += String(d); });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => { output += String(d); if (output.includes('ready')) resolve(); });
    child.on('exit', (code) => reject(new Error(`engine child exited (${code}) before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`engine child did not start:\n${output}`)), 30_000).unref();
  });
  return child;
}

async function killHard(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  await exited;
}
