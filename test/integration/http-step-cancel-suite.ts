import type { ServerResponse } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';
import { waitFor } from '../support/wait';

/** Where the admin cancels (its API) and what creates the run (its services); the run may execute elsewhere. */
export interface CancelTarget {
  url: string;
  token: string;
  services: Services;
}

interface Seen {
  at: number;
  method: string;
  /** When the connection closed before an answer: the request was dropped. */
  droppedAt?: number;
}

/**
 * Registered by http-step-cancel.test.ts (SQLite, in process and on the executor thread) and
 * http-step-cancel.pg.test.ts (PostgreSQL, cancelled on an instance that executes nothing).
 * Cancelling a run stops its HTTP request step as n8n's Stop execution does: the request in
 * flight is dropped, no attempt starts after it, and every request sent is in the run's log.
 */
export function httpStepCancelSuite(target: () => CancelTarget) {
  let remote: HttpServer | undefined;
  afterEach(async () => {
    await remote?.close();
    remote = undefined;
  });

  /** A server recording each request; `answer(n, res)` answers the n-th (1-based) or leaves it hanging. */
  async function serve(answer: (n: number, res: ServerResponse) => void) {
    const seen: Seen[] = [];
    remote = await startHttpServer((req, res) => {
      const entry: Seen = { at: Date.now(), method: req.method ?? '' };
      seen.push(entry);
      res.on('close', () => { if (!res.writableFinished) entry.droppedAt = Date.now(); });
      req.resume();
      answer(seen.length, res);
    });
    return { url: remote.url, seen };
  }

  const request = async (method: string, path: string, json?: unknown): Promise<unknown> => {
    const { url, token } = target();
    const res = await fetch(`${url}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body;
  };
  const call = async (method: string, path: string) => Run.parse(await request(method, path));
  const getRun = (id: string) => call('GET', `/runs/${id}`);

  async function start(url: string, config: Record<string, unknown> = {}) {
    const { services } = target();
    const { contact } = await insertContact(services);
    const steps: StepInput[] = [
      { id: 'call', type: 'http_request', config: { method: 'POST', url, body: '{"order": "A1"}', timeoutMs: 15_000, ...config } },
      { id: 'after', type: 'add_comment', config: { text: 'not after a cancel' } },
    ];
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps }));
    const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    services.runSignal.notify();
    return { id: runId, workflowId: wf.id };
  }
  const logged = (id: string, entries: number) =>
    waitFor(`${entries} log entries`, async () => { const r = await getRun(id); return r.stepLog.length >= entries ? r : undefined; }, 5_000);
  const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('drops the request in flight at once, sends nothing after it, and logs it as sent', async () => {
    const { url, seen } = await serve(() => { /* the answer takes longer than anyone waits */ });
    const { id } = await start(`${url}/slow?ms=5000`);
    await waitFor('the request', async () => seen[0], 10_000);
    const cancelledAt = Date.now();
    const cancelled = await call('POST', `/runs/${id}/cancel`);
    expect(cancelled.status).toBe('cancelled');

    await waitFor('the connection to be dropped', async () => seen[0]!.droppedAt, 3_000);
    expect(seen[0]!.droppedAt! - cancelledAt).toBeLessThan(1_500);
    const run = await logged(id, 1);
    expect(run).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/^Cancelled by /) });
    expect(run.stepLog).toEqual([expect.objectContaining({
      stepId: 'call', status: 'failed', output: { status: 0, attempts: 1 },
      error: `POST ${url}/slow?ms=5000: cancelled during attempt 1: its request had been sent, the answer was not awaited`,
    })]);
    await quiet(1_000);
    expect(seen).toHaveLength(1);
  });

  it('Try now, then cancel: each of the six requests sent is in the log, and none follows', async () => {
    // Three 503s put the step off for later; Try now's three attempts: two 503s, then one that hangs.
    const { url, seen } = await serve((n, res) => { if (n <= 5) res.writeHead(503).end('busy'); });
    const { id } = await start(`${url}/orders`);
    const waiting = await waitFor('the step put off for later', async () => { const r = await getRun(id); return r.status === 'waiting' ? r : undefined; }, 10_000);
    expect(waiting.stepLog).toEqual([expect.objectContaining({ status: 'retrying', error: expect.stringMatching(/answered HTTP 503: busy \(3 attempts\)$/) })]);

    await call('POST', `/runs/${id}/retry-now`);
    await waitFor('the sixth request', async () => seen[5], 10_000);
    await call('POST', `/runs/${id}/cancel`);

    const run = await logged(id, 2);
    expect(run.status).toBe('cancelled');
    expect(run.stepLog[1]).toMatchObject({
      stepId: 'call', status: 'failed', output: { status: 0, attempts: 3 },
      error: expect.stringMatching(/cancelled during attempt 3: its request had been sent/),
      notes: [expect.stringMatching(/^attempt 1: HTTP 503, retrying in/), expect.stringMatching(/^attempt 2: HTTP 503, retrying in/)],
    });
    await quiet(1_500);
    expect(seen).toHaveLength(6);
    expect(seen[5]!.droppedAt).toBeDefined();
  });

  it('a cancel during the wait before the next attempt ends the wait: that attempt is never made', async () => {
    const { url, seen } = await serve((_n, res) => res.writeHead(503, { 'retry-after': '3' }).end());
    const { id } = await start(`${url}/orders`);
    await waitFor('the first request', async () => seen[0], 10_000);
    await quiet(200);
    const cancelledAt = Date.now();
    await call('POST', `/runs/${id}/cancel`);
    const run = await logged(id, 1);
    expect(Date.now() - cancelledAt).toBeLessThan(2_000);
    expect(run.stepLog[0]).toMatchObject({ status: 'failed', output: { status: 0, attempts: 1 }, error: `POST ${url}/orders: cancelled before attempt 2` });
    await quiet(3_000);
    expect(seen).toHaveLength(1);
  });

  it('Stop executions (all the workflow\'s runs at once) drops the request in flight too', async () => {
    const { url, seen } = await serve(() => { /* never answers */ });
    const { id, workflowId } = await start(`${url}/slow`);
    await waitFor('the request', async () => seen[0], 10_000);
    expect(await request('POST', `/workflows/${workflowId}/runs/cancel`, {})).toMatchObject({ cancelled: 1 });
    await waitFor('the connection to be dropped', async () => seen[0]!.droppedAt, 3_000);
    const run = await logged(id, 1);
    expect(run.stepLog[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/cancelled during attempt 1: its request had been sent/) });
  });

  it('a cancel whose notice never came (the run cancelled straight in the database) still stops the next attempt', async () => {
    const { url, seen } = await serve((_n, res) => res.writeHead(503, { 'retry-after': '2' }).end());
    const { id } = await start(`${url}/orders`);
    await waitFor('the first request', async () => seen[0], 10_000);
    // What another instance's cancel writes, without its NOTIFY (a LISTEN connection down, say).
    const now = new Date().toISOString();
    await target().services.db.updateTable('runs').set({ status: 'cancelled', error: 'Cancelled by Grace', ended_at: now, updated_at: now, lease_until: null })
      .where('id', '=', id).execute();
    const run = await logged(id, 1);
    expect(run.stepLog[0]).toMatchObject({ status: 'failed', error: `POST ${url}/orders: cancelled before attempt 2` });
    expect(seen).toHaveLength(1);
  });
}
