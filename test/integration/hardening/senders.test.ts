import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';

// Issue 14, "Senders as they really are": what real third-party senders send.
let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'Application/JSON; charset=utf-8',
  'application/vnd.api+json',
  'application/vnd.api+json; charset=utf-8',
  'application/cloudevents+json; charset=utf-8',
];

describe('JSON media types with parameters', () => {
  it.each(JSON_TYPES)('/hooks/:token accepts %s', async (type) => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const res = await server.request('POST', hook.path, { body: JSON.stringify({ phone: '+14155550123', order: { id: 'A-1' } }), headers: { 'content-type': type } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  });

  it.each(JSON_TYPES)('the API accepts %s', async (type) => {
    const res = await server.request('POST', '/api/v1/contacts', { token: server.adminToken, body: JSON.stringify({ firstName: 'Ada' }), headers: { 'content-type': type } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it.each(['text/plain', 'application/jsonp', 'application/json-seq', 'application/x-www-form-urlencoded', 'text/json+html'])('refuses %s with 415 everywhere', async (type) => {
    const hook = await publishWebhookWorkflow(server);
    const hookRes = await server.request('POST', hook.path, { body: '{"phone":"+14155550123"}', headers: { 'content-type': type } });
    expect(hookRes.status).toBe(415);
    const apiRes = await server.request('POST', '/api/v1/contacts', { token: server.adminToken, body: '{"firstName":"A"}', headers: { 'content-type': type } });
    expect(apiRes.status).toBe(415);
  });
});

describe('Idempotency-Key on /hooks/:token', () => {
  const send = (path: string, body: unknown, key: string) =>
    server.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'idempotency-key': key } });

  it('refuses a key longer than the stored limit with 422, never truncating it', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const prefix = 'k'.repeat(200);
    const first = await send(hook.path, { phone: '+14155550123' }, `${prefix}-a`);
    expect(first.status).toBe(422);
    expect(first.body.error.message).toMatch(/Idempotency-Key.*200/);
    // Two keys that share their first 200 characters are different deliveries.
    const a = await send(hook.path, { phone: '+14155550123' }, prefix);
    expect(a.status).toBe(202);
    const b = await send(hook.path, { phone: '+14155550123' }, `${prefix}-b`);
    expect(b.status).toBe(422);
    expect(await server.events('webhook.received')).toHaveLength(1);
  });

  it('answers a repeat with the same body with the first ack, and the same key with another body with 409', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const first = await send(hook.path, { phone: '+14155550123', order: { id: 'A-1' } }, 'delivery-1');
    expect(first.status).toBe(202);
    const again = await send(hook.path, { phone: '+14155550123', order: { id: 'A-1' } }, 'delivery-1');
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    const other = await send(hook.path, { phone: '+14155550123', order: { id: 'B-2' } }, 'delivery-1');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(other.body.error.message).toMatch(/another body/);
    expect(await server.events('webhook.received')).toHaveLength(1);
  });

  it('tells a reused key apart inside one batch too', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const answers = await Promise.all([
      send(hook.path, { phone: '+14155550123', order: { id: 'A-1' } }, 'same'),
      send(hook.path, { phone: '+14155550123', order: { id: 'B-2' } }, 'same'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
  });
});

describe('phone numbers as senders write them', () => {
  const hookWith = () => publishWebhookWorkflow(server, { mappings: [] }, [{ id: 's', type: 'add_comment', config: { text: 'hi' } }]);
  const deliver = (path: string, phone: string) => server.request('POST', path, { body: { phone } });

  it('does not read a national number without a default country, saying so with the contacts API\'s hint (no run; 202, so the sender does not retry)', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await hookWith();
    const res = await deliver(hook.path, '(415) 555-0123');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ runIds: [], unmatched: ['(415) 555-0123'] });
    const api = await server.api(server.adminToken).post('/contacts', { phone: '(415) 555-0123' });
    expect(api.status).toBe(422);
    const hint = api.body.error.details[0].message as string;
    expect(res.body.notes[0]).toContain(hint);
    expect(res.body.notes[0]).toMatch(/default country/);
    // Digits alone are not read as some other country's number either.
    expect((await deliver(hook.path, '4155550123')).body).toMatchObject({ runIds: [], notes: [expect.stringMatching(/no run started$/)] });
  });

  it('matches a national number in the workspace\'s default country', async () => {
    const us = await makeContact(server, { phone: '+14155550123' });
    const es = await makeContact(server, { phone: '+34600111222' });
    const hook = await hookWith();
    const admin = server.api(server.adminToken);
    expect((await admin.put('/settings/default-country', { country: 'us' })).body).toEqual({ country: 'US' });
    expect((await admin.get('/settings/default-country')).body).toEqual({ country: 'US' });
    const local = await deliver(hook.path, '(415) 555-0123');
    expect(local.status, JSON.stringify(local.body)).toBe(202);
    expect((await admin.get(`/runs/${local.body.runIds[0]}`)).body.contactId).toBe(us.id);
    // An international number still goes by its own country code.
    const abroad = await deliver(hook.path, '+34 600 11 12 22');
    expect((await admin.get(`/runs/${abroad.body.runIds[0]}`)).body.contactId).toBe(es.id);
    await admin.put('/settings/default-country', { country: 'ES' });
    const spanish = await deliver(hook.path, '600 111 222');
    expect((await admin.get(`/runs/${spanish.body.runIds[0]}`)).body.contactId).toBe(es.id);
  });

  it('reads the default country\'s calling code without its "+" (as Excel leaves "+49 151 …") as that code, not as a national number', async () => {
    const de = await makeContact(server, { phone: '+4915110000000' });
    const hook = await hookWith();
    await server.api(server.adminToken).put('/settings/default-country', { country: 'DE' });
    for (const phone of ['4915110000000', '49 151 10000000', '0151 10000000', '15110000000']) {
      const res = await deliver(hook.path, phone);
      expect(res.status, `${phone}: ${JSON.stringify(res.body)}`).toBe(202);
      expect((await server.api(server.adminToken).get(`/runs/${res.body.runIds[0]}`)).body.contactId).toBe(de.id);
    }
  });

  it('only an admin sets the default country, to a real country', async () => {
    const { token } = await server.createUser('agent');
    expect((await server.api(token).put('/settings/default-country', { country: 'US' })).status).toBe(403);
    expect((await server.api(server.adminToken).put('/settings/default-country', { country: 'XX' })).status).toBe(422);
    expect((await server.api(server.adminToken).put('/settings/default-country', { country: 'USA' })).status).toBe(422);
  });

  it.each(['+1 415 555 0123 x12', '+1 (415) 555-0123 ext. 7', '+1 415 555 0123 #3', '+14155550123;ext=99'])('drops the extension of %s from the match', async (phone) => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const hook = await hookWith();
    const res = await deliver(hook.path, phone);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect((await server.api(server.adminToken).get(`/runs/${res.body.runIds[0]}`)).body.contactId).toBe(contact.id);
  });

  it('tells an invalid phone apart from a valid phone nobody has (both accepted without a run, the note says which)', async () => {
    const hook = await hookWith();
    const invalid = await deliver(hook.path, 'call me');
    expect(invalid.status).toBe(202);
    expect(invalid.body).toMatchObject({ runIds: [], unmatched: ['call me'], notes: [expect.not.stringContaining('No contact with phone')] });
    const nobody = await deliver(hook.path, '+14155550199');
    expect(nobody.status).toBe(202);
    expect(nobody.body).toMatchObject({ runIds: [], unmatched: ['+14155550199'], notes: ['No contact with phone +14155550199; no run started'] });
  });
});

describe('JSONPath in webhook identifiers and mappings (RFC 9535)', () => {
  it('refuses an invalid path when the workflow is saved, with the position', async () => {
    const res = await server.api(server.adminToken).post('/workflows', {
      name: 'bad path',
      trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order[01]', variable: 'orderId' }] },
      steps: [{ id: 's', type: 'add_comment', config: { text: 'x' } }],
    });
    expect(res.status).toBe(422);
    const detail = res.body.error.details.find((d: { path: string }) => d.path.endsWith('mappings.0.jsonKey'));
    expect(detail.message).toMatch(/RFC 9535.*at position 8/);
  });

  it('reads negative indexes, quoted names with escapes and filters; members of strings select nothing', async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'phone', jsonKey: "$['contact info'].phones[-1]" },
      mappings: [
        { jsonKey: "$['it\\'s']", variable: 'quoted' },
        { jsonKey: '$.items[?@.sku == "b"].qty', variable: 'qty' },
        { jsonKey: '$.code.length', variable: 'len' },
      ],
    }, [{ id: 's', type: 'add_comment', config: { text: '{{$trigger.qty}}' } }]);
    const res = await server.request('POST', hook.path, { body: {
      'contact info': { phones: ['+10000000000', '+14155550123'] }, "it's": 'yes', items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }], code: 'ABC',
    } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const [event] = await server.events('webhook.received');
    expect(event!.payload.contactIds).toEqual([contact.id]);
    // A filter may select several values, so it always gives a list (one match: a list of one).
    expect(event!.payload.variables).toEqual({ quoted: 'yes', qty: [2] });
    expect(event!.payload.errors).toEqual([expect.objectContaining({ variable: 'len', message: expect.stringMatching(/matched nothing/) })]);
  });
});
