import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { openSse, type SseClient } from '../../support/sse';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

// An HTTP step's target answered 422 quoting the request it refused, as PHP's json_encode writes
// it (`/` as `\/`, `"` as `\"`, non-ASCII as `\u00f6`). Only the exact characters sent were
// masked, so the credentials reached every agent: in the thread's failure line, in GET /runs/:id
// and on the live stream. Now whatever the request carried is masked however the answer writes
// it, and the thread (and every agent) reads that the step's request "answered HTTP 422", not
// what the other side said; the run log keeps that, masked, for admins and supervisors.

const API_KEY = 'sk_live_AbC/dEf+123456';
const TOKEN = 'tok"quoted"Value99';
const CUSTOM = 'CustomSecretValue456';
const BODY_SECRET = 'S3cr3t/Bödy"Value123';
const QUERY_SECRET = 'qs_9f8e7d6c5b4a/3210';
/** Parts of each secret that no masking of a whole one can leave, whichever way it is written. */
const MARKS = ['AbC', 'dEf+123456', 'quoted', 'Value99', 'CustomSecret', 'S3cr3t', 'Value123', '9f8e7d6c5b4a', 'dEf%2B', 'S3cr3t%2F'];

/** PHP's json_encode with its default flags: `/` escaped, every non-ASCII character as \uXXXX. */
const phpJson = (value: unknown) => JSON.stringify(value).replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

let echo: http.Server;
let echoUrl: string;
let server: TestServer;
let streams: SseClient[] = [];
beforeEach(async () => {
  echo = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      res.writeHead(422, { 'content-type': 'application/json' })
        .end(phpJson({ error: 'invalid', you_sent: body, url: req.url, headers: req.headers, hint: 'see https://docs.example/errors' }));
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
});
afterEach(async () => {
  for (const s of streams) s.close();
  streams = [];
  await server.close();
  echo.closeAllConnections();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

async function listen(token: string) {
  const sse = await openSse(`${server.url}/api/v1/events/stream`, { authorization: `Bearer ${token}` });
  streams.push(sse);
  await sse.waitFor(/: connected/);
  return sse;
}

const leaked = (text: string) => MARKS.filter((m) => text.includes(m));

describe('an HTTP step whose target quotes the request back', () => {
  it('shows no credential anywhere; agents read that it answered HTTP 422, the run log what it said, masked', async () => {
    const admin = server.api(server.adminToken);
    const launcher = await server.createUser('agent');
    const other = await server.createUser('agent');
    const supervisor = await server.createUser('supervisor');
    const wf = (await admin.post('/workflows', {
      name: 'Leak', trigger: { type: 'shortcut', name: 'Leak' }, status: 'published',
      steps: [{
        id: 'h', type: 'http_request',
        config: {
          method: 'POST', url: `${echoUrl}/x?api_key=${encodeURIComponent(QUERY_SECRET)}`,
          headers: [{ key: 'X-Api-Key', value: API_KEY }, { key: 'Authorization', value: `Token ${TOKEN}` }, { key: 'X-Custom', value: CUSTOM }],
          body: JSON.stringify({ client_secret: BODY_SECRET, q: 'x' }),
        },
      }],
    })).body;
    expect(wf.status, JSON.stringify(wf)).toBe('published');
    const contact = (await admin.post('/contacts', { firstName: 'Ada' })).body;
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    const sse = [await listen(server.adminToken), await listen(supervisor.token), await listen(launcher.token), await listen(other.token)];

    const launched = await server.api(launcher.token).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const runId = launched.body.runId as string;
    const read = async (token: string) => Run.parse((await server.api(token).get(`/runs/${runId}`)).body);
    const asAdmin = await waitFor('the run to fail', async () => {
      const run = await read(server.adminToken);
      return run.status === 'failed' ? run : undefined;
    }, 20_000);
    const asAgent = await read(launcher.token);
    const messages = (await server.api(other.token).get(`/conversations/${conversation}/messages`)).body;
    for (const s of sse) await s.waitFor(/"status":"failed"/, 10_000);

    const shown = { asAdmin, asSupervisor: await read(supervisor.token), asAgent, messages, streams: sse.map((s) => s.text()) };
    for (const [where, what] of Object.entries(shown)) expect(leaked(JSON.stringify(what)), where).toEqual([]);

    // The thread and the launching agent: the step's request and its status, not the answer.
    const reason = `POST ${echoUrl}/x?api_key=*** answered HTTP 422`;
    const lines = JSON.stringify(messages).match(/Workflow “Leak” failed[^"]*/g);
    expect(lines).toEqual([`Workflow “Leak” failed at step “h”: ${reason}`]);
    expect(asAgent.error).toBe(reason);
    expect(asAgent.stepLog[0]).toMatchObject({ status: 'failed', error: reason, output: { status: 422, attempts: 1 } });
    expect(asAgent.stepLog[0]!.output).not.toHaveProperty('response');
    expect(sse[2]!.text()).toContain(`"error":${JSON.stringify(reason)}`);

    // The admin's run log keeps what the target said, the credentials masked.
    expect(asAdmin.error).toMatch(/^POST .* answered HTTP 422: \{"error":"invalid","you_sent":"\{\\"client_secret\\":\\"\[redacted\]\\",\\"q\\":\\"x\\"\}"/);
    const response = (asAdmin.stepLog[0]!.output as { response: string }).response;
    expect(response).toContain('"x-api-key":"[redacted]"');
    expect(response).toContain('"authorization":"[redacted]"');
    expect(response).toContain('"x-custom":"[redacted]"');
    expect(response).toContain('"hint":"see https:\\/\\/docs.example\\/errors"');
  });
});
