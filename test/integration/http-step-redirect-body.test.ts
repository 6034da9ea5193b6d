import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { startPaymentApp } from '../../examples/payment-app/server';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';
import { firePaymentPaid, paymentsGateway, refundOnPaymentPaid, stoppedRun } from './apps-refund-gateway';

// A 307/308 keeps the body (fetch, curl, n8n): pointed at another site, it would hand that site
// a `client_secret` or a customer's data the admin meant for the host in the step. The step
// (and an app action, which goes out the same way) stops there and says why, in words. Two
// loopback servers on two ports are two origins.

let server: TestServer | undefined;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await server?.close();
  server = undefined;
});

interface Received { method: string; url: string; body: string }
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const received: Received[] = [];
  const remote: HttpServer = await startHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += String(c); });
    req.on('end', () => { received.push({ method: req.method ?? '', url: req.url ?? '', body }); handler(req, res); });
  });
  closers.push(() => remote.close());
  return Object.assign(remote, { received });
}
const ok = (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"at_1"}');

const SECRET = 'cs_live_Zx81bQ0pLm44';
const refusal = (status: number, method: string, location: string, from: string, to: string) =>
  `answered HTTP ${status} to another site (Location: ${location}); not followed: the ${method}'s body goes only to ${from}, `
  + `not on to ${to}, which the request did not name. If ${to} is meant to get it, put its URL in the request itself.`;

async function runStep(step: StepInput) {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const services = server.app.services;
  const { contact } = await insertContact(services);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [step] }));
  const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
  services.runSignal.notify();
  return waitForRun(services.db, runId, undefined, 20_000);
}

describe('an HTTP request step redirected elsewhere with its body', () => {
  it.each([
    { status: 307, method: 'POST' },
    { status: 308, method: 'PUT' },
    { status: 302, method: 'PATCH' },
    { status: 301, method: 'DELETE' },
  ])('$method answered $status to another origin: the body never gets there, the step fails saying why', async ({ status, method }) => {
    const elsewhere = await serve(ok);
    // The Location repeats the secret (a login wall's `?return=`): masked as the rest of the run log.
    const site = await serve((_req, res) => res.writeHead(status, { location: `${elsewhere.url}/oauth/token?ref=${SECRET}` }).end());
    const body = `{"grant_type":"client_credentials","client_id":"app_1","client_secret":"${SECRET}"}`;
    const done = await runStep({ id: 'call', type: 'http_request', config: { method, url: `${site.url}/oauth/token`, body } as never });

    expect(done.status).toBe('failed');
    expect(done.error).toBe(`${method} ${site.url}/oauth/token: ${refusal(status, method, `${elsewhere.url}/oauth/token?ref=[redacted]`, site.url, elsewhere.url)}`);
    expect(site.received).toEqual([{ method, url: '/oauth/token', body }]);
    expect(elsewhere.connections).toBe(0);
    expect(JSON.stringify(done)).not.toContain(SECRET);
  });

  it('a 307 on the same origin is still followed with its body', async () => {
    const site = await serve((req, res) => (req.url === '/v1/token' ? res.writeHead(307, { location: '/v2/token' }).end() : ok(req, res)));
    const body = `{"client_secret":"${SECRET}"}`;
    const done = await runStep({ id: 'call', type: 'http_request', config: { method: 'POST', url: `${site.url}/v1/token`, body, responseMappings: [{ jsonKey: '$.access_token', variable: 'token' }] } as never });
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.variables.step).toEqual({ token: 'at_1' });
    expect(site.received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([`POST /v1/token ${body}`, `POST /v2/token ${body}`]);
  });
});

describe('a mini-app action redirected elsewhere with its body', () => {
  it('is refused the same way: the app\'s other host never gets the refund', async () => {
    server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    const payments = await startPaymentApp({ port: 0, companionUrl: server.url });
    closers.push(() => payments.close());
    const elsewhere = await serve(ok);
    // In front of the app: everything goes through, but the refund is sent on to another host.
    const gateway = await paymentsGateway(payments, (req, res) => {
      if (req.url !== '/refunds') return false;
      res.writeHead(307, { location: `${elsewhere.url}/refunds` }).end();
      return true;
    });
    closers.push(() => gateway.close());

    const appId = await refundOnPaymentPaid(server, payments, gateway.url);
    const run = await stoppedRun(server, await firePaymentPaid(server, payments, appId));

    expect(run.status).toBe('failed');
    expect(run.error).toBe(`POST ${gateway.url}/refunds: ${refusal(307, 'POST', `${elsewhere.url}/refunds`, gateway.url, elsewhere.url)}`);
    expect(elsewhere.connections).toBe(0);
  });
});
