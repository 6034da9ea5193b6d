import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { PaymentApp } from '../../examples/payment-app/server';
import { startAppSink } from '../support/app-sink';
import { waitFor } from '../support/wait';
import type { TestServer } from '../support/server';
import { eachPaymentsWorld, installPayments, registerPayments } from './apps-support';

// The whole mini-app flow over real HTTP on loopback: the companion and the example Payments
// app each listen on their own port and talk to each other as they would in production.

let server: TestServer;
let payments: PaymentApp;

eachPaymentsWorld((world) => ({ server, payments } = world), '127.0.0.1,localhost');

const admin = () => server.api(server.adminToken);

const register = async () => (await registerPayments(server, payments)).appId;
const install = (appId: string) => installPayments(server, appId);


describe('registering a manifest', () => {
  it('refuses a trigger item that is not a field, naming it and the fields that exist', async () => {
    const manifest = payments.manifest();
    manifest.triggers[0].items.push('currency');
    const res = await admin().post('/apps', manifest);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'body.triggers.0.items.3' })]);
    expect(res.body.error.details[0].message).toContain('"currency"');
    expect(res.body.error.details[0].message).toContain('Existing fields: "status", "amount", "order"');
  });

  it('returns the signing secret once, lists the app, and refuses the same key twice', async () => {
    const res = await admin().post('/apps', payments.manifest());
    expect(res.status).toBe(201);
    expect(res.body.signingSecret).toMatch(/^whsec_/);
    expect(res.body.app).toMatchObject({ key: 'payments', installation: null, manifest: { name: 'Payments', scopes: ['contacts.read', 'tags.write'] } });
    const list = await admin().get('/apps');
    expect(list.body.apps).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(res.body.signingSecret);
    expect((await admin().post('/apps', payments.manifest())).status).toBe(409);
    const agent = await server.createUser('agent');
    expect((await server.api(agent.token).get('/apps')).status).toBe(403);
  });
});

describe('installing', () => {
  it('sends a signed subscribe request carrying a working key limited to the manifest scopes', async () => {
    const appId = await register();
    const installation = await install(appId);
    expect(installation).toMatchObject({ appId, id: expect.stringMatching(/^inst_/) });

    expect(payments.received.subscribe).toHaveLength(1);
    const sub = payments.received.subscribe[0]!;
    expect(sub.verified).toBe(true);
    expect(sub.body).toEqual({
      workspaceId: expect.any(String), appId, installationId: installation.id, apiKey: expect.stringMatching(/^ica_/), apiKeyId: expect.stringMatching(/^tok_/), authValues: { accountId: 'acct_42' },
      scopes: ['contacts.read', 'tags.write'], reason: 'installed',
    });
    // Only the app's own secret verifies it.
    const headers = { 'webhook-id': String(sub.headers['webhook-id']), 'webhook-timestamp': String(sub.headers['webhook-timestamp']), 'webhook-signature': String(sub.headers['webhook-signature']) };
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(JSON.stringify(sub.body), headers)).toThrow();

    const key = sub.body.apiKey as string;
    expect((await server.api(key).get('/contacts')).status).toBe(200);
    expect((await server.api(key).post('/contacts', { firstName: 'Nope' })).status).toBe(403);
    expect((await admin().get(`/apps/${appId}`)).body.installation).toMatchObject({ id: installation.id });
    // The key is stored hashed, never as it is.
    const rows = await server.store.db.selectFrom('tokens').select('hash').execute();
    expect(rows.some((r) => r.hash === key)).toBe(false);
  });

  it.each([
    [{}, 'authValues.accountId', 'is required'],
    [{ accountId: 'x'.repeat(65) }, 'authValues.accountId', 'at most 64 characters'],
    [{ accountId: 42 }, 'authValues.accountId', 'must be text'],
    [{ accountId: 'a', extra: 'b' }, 'authValues', 'Unknown auth input(s): extra'],
  ])('refuses auth values %j with a 422 on %s', async (authValues, path, message) => {
    const appId = await register();
    const res = await admin().post(`/apps/${appId}/install`, { authValues });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path, message: expect.stringContaining(message) }]);
    expect(payments.received.subscribe).toHaveLength(0);
  });

  it('refuses a second install and an unknown app', async () => {
    const appId = await register();
    await install(appId);
    expect((await admin().post(`/apps/${appId}/install`, { authValues: { accountId: 'a' } })).status).toBe(409);
    expect((await admin().post('/apps/app_nope/install', { authValues: {} })).status).toBe(404);
  });
});

describe('firing a trigger', () => {
  async function installed() {
    const appId = await register();
    await install(appId);
    return { appId, key: payments.received.subscribe[0]!.body.apiKey as string };
  }

  it('runs the mini_app workflow: the order is marked paid, and nested json items render', async () => {
    const { appId } = await installed();
    for (const [key, type] of [['order_status', 'text'], ['order_total', 'text']] as const) {
      expect((await admin().put(`/fields/${key}`, { label: key, type })).status).toBe(200);
    }
    const contact = (await admin().post('/contacts', { firstName: 'Ada', phone: '+14155550100' })).body;
    const created = await admin().post('/workflows', {
      name: 'Mark paid orders',
      trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
      steps: [
        { id: 's1', type: 'update_contact_field', config: { field: 'order_status', value: '{{$trigger.status}}' } },
        { id: 's2', type: 'update_contact_field', config: { field: 'order_total', value: '{{$trigger.order.total}} {{$trigger.order.currency}}' } },
        { id: 's3', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const published = await admin().post(`/workflows/${created.body.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    const fired = await fetch(`${payments.url}/simulate/payment-paid`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+14155550100', amount: 129.5, orderId: 'ord_1' }),
    });
    const firedBody = await fired.json() as { eventId: string; runIds: string[] };
    expect(fired.status, JSON.stringify(firedBody)).toBe(202);
    expect(firedBody.runIds).toHaveLength(1);

    const run = await waitFor('the run to finish', async () => {
      const r = await admin().get(`/runs/${firedBody.runIds[0]}`);
      return ['completed', 'failed'].includes(r.body.status) ? r.body : undefined;
    });
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    const after = (await admin().get(`/contacts/${contact.id}`)).body;
    expect(after.fields).toMatchObject({ order_status: 'paid', order_total: '129.5 EUR' });
    expect(after.tags).toContain('paid');

    // The same payment again (a retry): the same answer, no second event or run.
    const again = await fetch(`${payments.url}/simulate/payment-paid`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+14155550100', amount: 129.5, orderId: 'ord_1' }),
    });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(firedBody);
    expect(await server.events('mini_app.triggered')).toHaveLength(1);

    const [event] = await server.events('mini_app.triggered');
    expect(event).toMatchObject({ id: firedBody.eventId, source: 'api', contactId: contact.id, payload: { appId, triggerKey: 'payment_paid', items: { status: 'paid', amount: 129.5, order: { id: 'ord_1', total: 129.5 } } } });
  });

  it.each([
    ['a wrong item type', { contact: { phone: '+14155550100' }, items: { amount: 'lots' } }, 422, 'items.amount'],
    ['an unknown item', { contact: { phone: '+14155550100' }, items: { currency: 'EUR' } }, 422, 'has no item(s) currency'],
    ['an unknown contact', { contact: { phone: '+14155550999' }, items: {} }, 422, 'no contact with phone +14155550999'],
    ['two identifiers', { contact: { phone: '+14155550100', email: 'a@b.co' }, items: {} }, 422, 'exactly one'],
  ])('refuses %s', async (_name, body, status, message) => {
    const { appId, key } = await installed();
    await admin().post('/contacts', { firstName: 'Ada', phone: '+14155550100' });
    const res = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, body);
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body.error)).toContain(message);
    expect(await server.events('mini_app.triggered')).toHaveLength(0);
  });

  it('accepts only this app\'s key: a user token or another app\'s key gets 403, an unknown trigger 404', async () => {
    const { appId, key } = await installed();
    await admin().post('/contacts', { firstName: 'Ada', phone: '+14155550100' });
    const body = { contact: { phone: '+14155550100' }, items: { status: 'paid' } };
    expect((await admin().post(`/apps/${appId}/triggers/payment_paid`, body)).status).toBe(403);

    const other = { ...payments.manifest(), key: 'other-payments', ...(await startAppSink(server)).urls };
    const otherApp = (await admin().post('/apps', other)).body.app;
    expect((await admin().post(`/apps/${otherApp.id}/install`, { authValues: { accountId: 'b' } })).status).toBe(201);
    expect((await server.api(key).post(`/apps/${otherApp.id}/triggers/payment_paid`, body)).status).toBe(403);

    expect((await server.api(key).post(`/apps/${appId}/triggers/nope`, body)).status).toBe(404);
    expect((await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, body)).status).toBe(202);
  });
});

describe('uninstalling', () => {
  it('revokes the key at once and delivers a signed unsubscribe request naming the revoked key by its id', async () => {
    const appId = await register();
    const installation = await install(appId);
    const key = payments.received.subscribe[0]!.body.apiKey as string;

    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    const after = await server.api(key).get('/contacts');
    expect(after.status).toBe(401);
    expect((await admin().get(`/apps/${appId}`)).body.installation).toBeNull();

    const unsub = await waitFor('the unsubscribe request', async () => payments.received.unsubscribe[0]);
    expect(unsub.verified).toBe(true);
    const { workspaceId, apiKeyId } = payments.received.subscribe[0]!.body;
    expect(unsub.body).toEqual({ workspaceId, appId, installationId: installation.id, apiKeyId, authValues: { accountId: 'acct_42' }, reason: 'uninstalled' });
    expect(payments.installations.size).toBe(0);
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(404);
    // It can be installed again, with a new key.
    await install(appId);
    expect(payments.received.subscribe[1]!.body.apiKey).not.toBe(key);
  });
});
