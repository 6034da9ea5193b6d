import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signHeaders, generateSigningSecret } from '../../../server/signing/standard-webhooks';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  server.request('POST', path, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe('POST /hooks/:token', () => {
  it('runs the workflow on the contact named by the body, with mapped variables', async () => {
    const contact = await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
    const conversation = await server.api(server.adminToken).post('/conversations', { contactId: contact.id });
    const hook = await publishWebhookWorkflow(server);
    // The phone arrives formatted as people type it; it is normalised to E.164 before matching.
    const res = await post(hook.path, { phone: '+1 (415) 555-0123', order: { id: 'A-77' } });
    expect(res.status).toBe(202);
    expect(res.body.runIds).toHaveLength(1);
    const run = await waitForRun(server, res.body.runIds[0]);
    expect(run.status).toBe('completed');
    expect(run.contactId).toBe(contact.id);
    expect(run.variables.trigger.orderId).toBe('A-77');
    const detail = await server.api(server.adminToken).get(`/conversations/${conversation.body.id}`);
    expect(detail.body.messages.map((m: { text: string }) => m.text)).toContain('Order A-77 shipped');
  });

  it('a NUL character in the data becomes U+FFFD (neither store holds NUL): the run completes, and so does the next', async () => {
    const contact = await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
    await server.api(server.adminToken).post('/conversations', { contactId: contact.id });
    const hook = await publishWebhookWorkflow(server);
    // It used to fail the run ("a value this step wrote holds one"): the sender could not fix it, and
    // the event was lost. Both stores: hardening/nul-from-outside-suite.ts.
    const nul = await post(hook.path, { phone: '+14155550123', order: { id: 'A\u000077' } });
    expect(nul.status).toBe(202);
    const done = await waitForRun(server, nul.body.runIds[0]);
    expect(done.status, done.error).toBe('completed');
    expect(done.variables.trigger.orderId).toBe('A\uFFFD77');
    const good = await post(hook.path, { phone: '+14155550123', order: { id: 'A-78' } });
    expect((await waitForRun(server, good.body.runIds[0])).status).toBe('completed');
  });

  it('answers machines without the browser plugins\' per-request work (no CORS, no helmet headers)', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const res = await post(hook.path, { phone: '+14155550123' }, { origin });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBeNull();
    expect(res.headers.get('x-ratelimit-limit')).not.toBeNull();
    // The API next to it keeps them.
    const api = await server.request('GET', '/api/v1/workflows', { headers: { authorization: `Bearer ${server.adminToken}`, origin } });
    expect(api.headers.get('access-control-allow-origin')).toBe(origin);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    ['$.phone', { phone: '+14155550123' }],
    ['$.custom_fields.phone', { custom_fields: { phone: '+14155550123' } }],
    ['$.data.contacts[1].phone', { data: { contacts: [{ phone: '+10000000000' }, { phone: '+14155550123' }] } }],
  ])('finds the contact through %s', async (jsonKey, body) => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, { identifier: { type: 'phone', jsonKey }, mappings: [] }, [{ id: 's', type: 'add_comment', config: { text: 'hi' } }]);
    const res = await post(hook.path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await waitForRun(server, res.body.runIds[0]);
    expect(run.contactId).toBe(contact.id);
  });

  it('triggers every contact of an identifier array (by email)', async () => {
    const a = await makeContact(server, { email: 'a@example.com' });
    const b = await makeContact(server, { email: 'b@example.com' });
    const hook = await publishWebhookWorkflow(server, { identifier: { type: 'email', jsonKey: '$.emails' }, mappings: [] }, [{ id: 's', type: 'add_comment', config: { text: 'hi' } }]);
    const res = await post(hook.path, { emails: ['A@example.com', 'b@example.com'] });
    expect(res.status).toBe(202);
    const runs = await Promise.all(res.body.runIds.map((id: string) => waitForRun(server, id)));
    expect(runs.map((r) => r.contactId).sort()).toEqual([a.id, b.id].sort());
  });

  it('records a mapping that resolves to an object as an error on the run, variable empty', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.order', variable: 'order' }, { jsonKey: '$.missing', variable: 'missing' }] },
      [{ id: 's', type: 'add_comment', config: { text: 'x' } }]);
    const res = await post(hook.path, { phone: '+14155550123', order: { id: 1 } });
    expect(res.status).toBe(202);
    const run = await waitForRun(server, res.body.runIds[0]);
    const notes = JSON.stringify(run.stepLog);
    expect(notes).toMatch(/\$\.order resolves to an object/);
    expect(notes).toMatch(/\$\.missing matched nothing/);
    expect(run.variables.trigger.order ?? '').toBe('');
  });

  it.each([
    ['unknown token', (p: string) => p.replace(/[^/]+$/, 'nope'), { phone: '+14155550123' }, {}, 404],
    ['malformed JSON', (p: string) => p, '{"phone":', {}, 400],
    ['not JSON', (p: string) => p, 'phone=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['text/plain', (p: string) => p, '{"phone":"+14155550123"}', { 'content-type': 'text/plain' }, 415],
    // A body naming nobody (no phone, or one no contact has) is accepted without a run: guest-orders.test.ts.
    ['identifier is an object', (p: string) => p, { phone: { a: 1 } }, {}, 422],
    ['body is an array', (p: string) => p, [1, 2, 3], {}, 422],
    ['body is null', (p: string) => p, 'null', {}, 422],
  ])('%s → %s, nothing stored', async (_name, toPath, body, headers, status) => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const res = await post(toPath(hook.path), body, headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toBeTruthy();
    expect(await server.events('webhook.received')).toHaveLength(0);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const hook = await publishWebhookWorkflow(server);
    const res = await post(hook.path, JSON.stringify({ phone: '+14155550123', pad: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('answers 404 once the workflow is unpublished, and for the old URL after regeneration', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const admin = server.api(server.adminToken);
    const regenerated = await admin.post(`/workflows/${hook.id}/webhook/regenerate`);
    expect(regenerated.status).toBe(200);
    expect((await post(hook.path, { phone: '+14155550123' })).status).toBe(404);
    const fresh = new URL(regenerated.body.url).pathname;
    expect((await post(fresh, { phone: '+14155550123' })).status).toBe(202);
    await admin.post(`/workflows/${hook.id}/unpublish`);
    expect((await post(fresh, { phone: '+14155550123' })).status).toBe(404);
  });

  it('de-duplicates on Idempotency-Key: same answer, one run', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const first = await post(hook.path, { phone: '+14155550123' }, { 'idempotency-key': 'delivery-1' });
    const second = await post(hook.path, { phone: '+14155550123' }, { 'idempotency-key': 'delivery-1' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(await server.events('webhook.received')).toHaveLength(1);
  });
});

describe('signed webhooks (Standard Webhooks)', () => {
  it('requires a valid signature, and a repeated webhook-id is acknowledged without a second run', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const secret = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server, { signingSecret: secret });
    const body = JSON.stringify({ phone: '+14155550123', order: { id: 9 } });
    expect((await post(hook.path, body)).status).toBe(401);
    const wrong = signHeaders(generateSigningSecret(), { id: 'msg_1', timestamp: new Date(), body });
    expect((await post(hook.path, body, wrong)).status).toBe(401);
    const stale = signHeaders(secret, { id: 'msg_1', timestamp: new Date(Date.now() - 6 * 60_000), body });
    expect((await post(hook.path, body, stale)).status).toBe(401);
    const tampered = signHeaders(secret, { id: 'msg_1', timestamp: new Date(), body });
    expect((await post(hook.path, body.replace('9', '10'), tampered)).status).toBe(401);

    const good = signHeaders(secret, { id: 'msg_1', timestamp: new Date(), body });
    const first = await post(hook.path, body, good);
    const again = await post(hook.path, body, good);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(await server.events('webhook.received')).toHaveLength(1);
  });
});

describe('POST /api/v1/workflows/:id/webhook/test', () => {
  it('shows what each mapping and the identifier extract, with per-mapping errors', async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, {
      mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }, { jsonKey: '$.items', variable: 'items' }, { jsonKey: '$.order', variable: 'order' }],
    });
    const res = await server.api(server.adminToken).post(`/workflows/${hook.id}/webhook/test`, { body: { phone: '+14155550123', order: { id: 'Z1' }, items: [1, 2] } });
    expect(res.status).toBe(200);
    expect(res.body.contactIds).toEqual([contact.id]);
    // An array of values is a list (list-paths.test.ts); an object is no value.
    expect(res.body.variables).toEqual({ orderId: 'Z1', items: [1, 2] });
    expect(res.body.errors).toEqual([expect.objectContaining({ variable: 'order', message: expect.stringMatching(/resolves to an object/) })]);
    expect(await server.events('webhook.received')).toHaveLength(0);
  });

  it('is for admins only', async () => {
    const hook = await publishWebhookWorkflow(server);
    const agent = await server.createUser('agent');
    expect((await server.api(agent.token).post(`/workflows/${hook.id}/webhook/test`, { body: {} })).status).toBe(403);
  });
});
