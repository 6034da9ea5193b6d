import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { httpRequestTiming } from '../../../server/engine/steps/http-request';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../../server/outbound/test-server';
import { openSse, type SseClient } from '../../support/sse';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

// An HTTP step's URL may carry credentials (`user:pw@`, `?api_key=`). Run logs, run errors and the
// live stream show the URL without them, and mask them where the other side's answer repeats them.

let server: TestServer;
let remote: HttpServer;
let sse: SseClient | undefined;
let answer: { status: number; headers?: Record<string, string> } = { status: 403 };
beforeEach(async () => {
  remote = await startHttpServer((req, res) => {
    res.statusCode = answer.status;
    for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
    res.setHeader('content-type', 'application/json');
    // An API that quotes the request it refused, credentials and all.
    res.end(JSON.stringify({ error: 'denied', url: req.url, authorization: req.headers.authorization }));
  });
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
});
afterEach(async () => {
  httpRequestTiming.sleep = undefined;
  answer = { status: 403 };
  sse?.close();
  sse = undefined;
  await server.close();
  await remote.close();
});

const SECRETS = ['s3cretPassw0rd', 'AKIAabcdef123456', 'tok-9f8e7d6c5b4a', Buffer.from('ops:s3cretPassw0rd').toString('base64')];
const admin = () => server.api(server.adminToken);

async function start(url: string) {
  const wf = (await admin().post('/workflows', {
    name: 'Call', trigger: { type: 'manual' }, status: 'published',
    steps: [{ id: 'call', type: 'http_request', config: { method: 'POST', url } }],
  })).body;
  expect(wf.status, JSON.stringify(wf)).toBe('published');
  const contact = (await admin().post('/contacts', { firstName: 'Ada' })).body;
  const started = await admin().post(`/workflows/${wf.id}/start`, { contact: { id: contact.id } });
  return started.body.runIds[0] as string;
}

const runWhen = (runId: string, status: string) => waitFor(`run ${runId} ${status}`, async () => {
  const run = (await admin().get(`/runs/${runId}`)).body;
  return run.status === status ? run : undefined;
}, 20_000);

describe('an HTTP step whose URL carries credentials', () => {
  it('fails saying the URL without them, in the run, its log and the live stream', async () => {
    sse = await openSse(`${server.url}/api/v1/events/stream`, { authorization: `Bearer ${server.adminToken}` });
    await sse.waitFor(/: connected/);
    const host = remote.url.replace('http://', '');
    const runId = await start(`http://ops:${SECRETS[0]}@${host}/fail?api_key=${SECRETS[1]}&page=2&access_token=${SECRETS[2]}`);
    const run = await runWhen(runId, 'failed');
    const expected = `POST http://***@${host}/fail?api_key=***&page=2&access_token=*** answered HTTP 403: `;
    expect(run.error).toContain(expected);
    expect(run.stepLog[0].error).toContain(expected);
    await sse.waitFor(/"status":"failed"/, 10_000);
    const everything = JSON.stringify(run) + sse.text();
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    // The answer quoted the request: its credentials are masked there too.
    expect(run.error).toContain('[redacted]');
  });

  it('says the same while it waits to try again', async () => {
    answer = { status: 429, headers: { 'retry-after': '600' } };
    httpRequestTiming.sleep = async () => {};
    const host = remote.url.replace('http://', '');
    const runId = await start(`http://ops:${SECRETS[0]}@${host}/busy?token=${SECRETS[2]}`);
    const run = await runWhen(runId, 'waiting');
    expect(run.stepLog[0]).toMatchObject({ status: 'retrying', error: expect.stringContaining(`POST http://***@${host}/busy?token=***: answered HTTP 429: `) });
    for (const secret of SECRETS) expect(JSON.stringify(run)).not.toContain(secret);
  });
});
