import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { waitFor } from '../support/wait';
import { eachPaymentsWorld, type PaymentsWorld } from './apps-support';

// A `secret` auth input (the app's own API token): the admin types it on install, the app's
// server gets it in the subscribe request and in the actions that name {{auth.apiToken}}, and
// no answer of the companion carries it back: not GET /apps, GET /apps/:id, the install's 201,
// a manifest edit's 200 nor a run's detail. It is stored sealed, like every auth value.

const TOKEN = 'sk_live_9f8e7d6c5b4a3210';

let world: PaymentsWorld;
eachPaymentsWorld((w) => { world = w; });

/**
 * The example Payments app, asking for its API token too and sending it with each refund: as a
 * Bearer token, or (`inBody`) in the body under a name that does not say it is one.
 */
function manifestWithToken(refundUrl?: (url: string) => string, inBody = false) {
  const m = world.payments.manifest();
  m.authInputs.push({ key: 'apiToken', label: 'API token', type: 'secret', required: true, maxLength: 64 });
  if (inBody) (m.actions[0].request.body as Record<string, string>).ref = '{{auth.apiToken}}';
  else m.actions[0].request.headers.authorization = 'Bearer {{auth.apiToken}}';
  if (refundUrl) m.actions[0].request.url = refundUrl(m.actions[0].request.url);
  return m;
}

async function registerAndInstall(refundUrl?: (url: string) => string, inBody = false) {
  const admin = world.server.api(world.server.adminToken);
  const registered = await admin.post('/apps', manifestWithToken(refundUrl, inBody));
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  world.payments.setSigningSecret(registered.body.signingSecret);
  const appId = registered.body.app.id as string;
  const installed = await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42', apiToken: TOKEN } });
  expect(installed.status, JSON.stringify(installed.body)).toBe(201);
  return { admin, appId, installed };
}

describe('a secret auth input', () => {
  it('is refused when required and missing, saying which', async () => {
    const admin = world.server.api(world.server.adminToken);
    const registered = await admin.post('/apps', manifestWithToken());
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const res = await admin.post(`/apps/${registered.body.app.id}/install`, { authValues: { accountId: 'acct_42' } });
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toEqual([{ path: 'authValues.apiToken', message: 'API token is required' }]);
  });

  it('reaches the app\'s server and is never echoed by the companion\'s answers', async () => {
    const { admin, appId, installed } = await registerAndInstall();
    expect(world.payments.received.subscribe.at(-1)!.body.authValues).toEqual({ accountId: 'acct_42', apiToken: TOKEN });

    const answers = [
      installed.body,
      (await admin.get('/apps')).body,
      (await admin.get(`/apps/${appId}`)).body,
      (await admin.put(`/apps/${appId}`, manifestWithToken())).body,
    ];
    for (const body of answers) expect(JSON.stringify(body)).not.toContain(TOKEN);
    expect((await admin.get(`/apps/${appId}`)).body.manifest.authInputs[1]).toEqual({ key: 'apiToken', label: 'API token', type: 'secret', required: true, maxLength: 64 });

    const row = await world.server.store.db.selectFrom('installations').select('auth_values').executeTakeFirstOrThrow();
    expect(row.auth_values).not.toContain(TOKEN);
  });

  async function refundRun(refundUrl?: (url: string) => string, inBody = false) {
    const { admin, appId } = await registerAndInstall(refundUrl, inBody);
    const contact = (await admin.post('/contacts', { firstName: 'Grace', phone: '+14155550111' })).body;
    const wf = await admin.post('/workflows', {
      name: 'Refund paid orders', status: 'published',
      trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
      steps: [{ id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: '{{$trigger.order.id}}' } } }],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const key = world.payments.received.subscribe.at(-1)!.body.apiKey as string;
    const fired = await world.server.api(key).post(`/apps/${appId}/triggers/payment_paid`, {
      contact: { phone: contact.phone }, items: { status: 'paid', amount: 10, order: { id: 'ord_7', total: 10 } },
    });
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
    return waitFor('the run to finish', async () => {
      const body = (await admin.get(`/runs/${fired.body.runIds[0]}`)).body;
      return ['completed', 'failed'].includes(body.status) ? body : undefined;
    });
  }

  it('fills {{auth.apiToken}} in an action\'s request, and the run\'s detail does not show it', async () => {
    const run = await refundRun();
    expect(run.status, JSON.stringify(run)).toBe('completed');
    expect(world.payments.received.refunds.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(run)).not.toContain(TOKEN);
  });

  it('is masked in a failed action\'s error, which names the URL it was sent to', async () => {
    // The token in the path: the example app has no such route and answers 404.
    const run = await refundRun((url) => `${url}/{{auth.apiToken}}`);
    expect(run.status, JSON.stringify(run)).toBe('failed');
    const shown = JSON.stringify(run);
    expect(shown).not.toContain(TOKEN);
    expect(shown).toContain('/refunds/[redacted] answered HTTP 404');
  });

  it('is masked in an answer quoting it where the error\'s excerpt is cut: no part of it is left', async () => {
    // The app answers 422 with 185 characters, then the token: the 200-character excerpt cut it in two.
    const app = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => { raw += String(c); });
      req.on('end', () => res.writeHead(422, { 'content-type': 'text/plain' }).end(`${'x'.repeat(184)} ${(JSON.parse(raw) as { ref: string }).ref}`));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const run = await refundRun(() => `http://127.0.0.1:${(app.address() as AddressInfo).port}/refunds`, true);
      expect(run.status, JSON.stringify(run)).toBe('failed');
      expect(run.error).toMatch(/ answered HTTP 422: x{184} \[redacted\]$/);
      expect(JSON.stringify(run)).not.toContain(TOKEN.slice(0, 8));
    } finally {
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
