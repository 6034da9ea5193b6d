import { afterEach, beforeEach, expect, it } from 'vitest';
import { WebhookAck } from '../../../lib/contracts/webhooks';
import { generateSigningSecret, signHeaders } from '../../../server/signing/standard-webhooks';
import { DefinitionCache } from '../../../server/engine/dispatch/dispatcher';
import { ingestBatch, type Delivery } from '../../../server/webhooks/batch-ingest';
import { HookWorkflowCache } from '../../../server/webhooks/hook-workflows';
import { KnownEnrolments } from '../../../server/webhooks/known-enrolments';
import type { TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

/**
 * A delivery naming several contacts, some unknown: the 202 lists the values that matched nobody
 * (`unmatched`, as /webhook/test does), next to `eventId` and `runIds`; so does a repeat of it.
 * Shared by the SQLite and PostgreSQL suites (their write paths differ).
 */
export function unmatchedContract(start: () => Promise<TestServer>) {
  let server: TestServer;
  beforeEach(async () => { server = await start(); });
  afterEach(async () => { await server.close(); });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request('POST', path, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const emailHook = () => publishWebhookWorkflow(server, { identifier: { type: 'email', jsonKey: '$.customer.email' }, mappings: [] }, [{ id: 's', type: 'add_comment', config: { text: 'hi' } }]);

  it('lists the identifier values that matched no contact in the 202, as /webhook/test does', async () => {
    const maria = await makeContact(server, { email: 'maria@example.com' });
    const hook = await emailHook();
    const sample = { customer: { email: ['maria@example.com', 'typo@exmaple.com'] } };
    const res = await post(hook.path, sample);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(WebhookAck.strict().parse(res.body)).toEqual({ eventId: expect.any(String), runIds: [expect.any(String)], unmatched: ['typo@exmaple.com'] });
    const tested = await server.api(server.adminToken).post(`/workflows/${hook.id}/webhook/test`, { body: sample });
    expect(tested.body).toMatchObject({ contactIds: [maria.id], unmatched: ['typo@exmaple.com'] });
    // The event keeps them too (the event log says who was not found).
    const [event] = await server.events('webhook.received');
    expect(event!.payload).toMatchObject({ contactIds: [maria.id], unmatched: ['typo@exmaple.com'] });
  });

  it('answers `unmatched: []` when every value matches; a value named twice is listed once, as sent', async () => {
    await makeContact(server, { email: 'maria@example.com' });
    await makeContact(server, { email: 'joao@example.com' });
    const hook = await emailHook();
    const all = await post(hook.path, { customer: { email: ['Maria@example.com', 'joao@example.com'] } });
    expect(all.status).toBe(202);
    expect(all.body).toEqual({ eventId: expect.any(String), runIds: [expect.any(String), expect.any(String)], unmatched: [] });
    expect((await server.events('webhook.received'))[0]!.payload).not.toHaveProperty('unmatched');
    const twice = await post(hook.path, { customer: { email: ['Nobody@Example.com', 'maria@example.com', 'Nobody@Example.com', 'other@example.com'] } });
    expect(twice.body.unmatched).toEqual(['Nobody@Example.com', 'other@example.com']);
    // None matching: accepted without a run (a sender told 4xx retries), the note says why.
    const none = await post(hook.path, { customer: { email: ['typo@exmaple.com'] } });
    expect(none.status).toBe(202);
    expect(none.body).toEqual({ eventId: expect.any(String), runIds: [], unmatched: ['typo@exmaple.com'], notes: ['No contact with email typo@exmaple.com; no run started'] });
  });

  it('phone hooks list numbers that are no phone number or nobody has', async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, { identifier: { type: 'phone', jsonKey: '$.phones' }, mappings: [] }, [{ id: 's', type: 'add_comment', config: { text: 'hi' } }]);
    const res = await post(hook.path, { phones: ['+1 (415) 555-0123', 'not a phone', '+14155550199'] });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.runIds).toHaveLength(1);
    expect(res.body.unmatched).toEqual(['not a phone', '+14155550199']);
    expect((await server.api(server.adminToken).get(`/runs/${res.body.runIds[0]}`)).body.contactId).toBe(contact.id);
  });

  it('a repeat of the delivery (Idempotency-Key, webhook-id) answers the same unmatched values', async () => {
    await makeContact(server, { email: 'maria@example.com' });
    const hook = await emailHook();
    const body = { customer: { email: ['maria@example.com', 'typo@exmaple.com'] } };
    const first = await post(hook.path, body, { 'idempotency-key': 'order-1' });
    const again = await post(hook.path, body, { 'idempotency-key': 'order-1' });
    expect(first.body.unmatched).toEqual(['typo@exmaple.com']);
    expect(again.headers.get('x-duplicate-delivery')).toBe('true');
    expect(again.body).toEqual(first.body);

    const secret = generateSigningSecret();
    const signed = await publishWebhookWorkflow(server, { identifier: { type: 'email', jsonKey: '$.customer.email' }, mappings: [], signingSecret: secret }, [{ id: 's', type: 'add_comment', config: { text: 'hi' } }]);
    const raw = JSON.stringify(body);
    const headers = signHeaders(secret, { id: 'msg_1', timestamp: new Date(), body: raw });
    const one = await post(signed.path, raw, headers);
    const two = await post(signed.path, raw, headers);
    expect(one.body.unmatched).toEqual(['typo@exmaple.com']);
    expect(two.body).toEqual(one.body);
  });

  it('each delivery of a concurrent burst gets its own unmatched values', async () => {
    await makeContact(server, { email: 'maria@example.com' });
    const hook = await emailHook();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      post(hook.path, { customer: { email: i % 3 === 0 ? ['maria@example.com'] : ['maria@example.com', `typo${i}@exmaple.com`] } })));
    answers.forEach((res, i) => {
      expect(res.status).toBe(202);
      expect(res.body.runIds).toHaveLength(1);
      expect(res.body.unmatched).toEqual(i % 3 === 0 ? [] : [`typo${i}@exmaple.com`]);
    });
  });

  // Over HTTP, concurrency decides which deliveries share a batch: here one batch for sure, with a
  // keyed delivery and its copy (the copy answers the leader's ack), then its repeat in a later
  // batch (read back from the event), on pairs already enrolled (PostgreSQL's one-statement write).
  it('in one batch: every delivery its own unmatched values; copies and later repeats the first answer', async () => {
    await makeContact(server, { email: 'maria@example.com' });
    await makeContact(server, { email: 'joao@example.com' });
    const hook = await emailHook();
    const token = hook.path.split('/').pop()!;
    const delivery = (emails: string[], headers: Record<string, string> = {}): Delivery => {
      const body = { customer: { email: emails } };
      return { token, rawBody: JSON.stringify(body), body, headers };
    };
    const caches = { enrolled: new KnownEnrolments(), hooks: HookWorkflowCache.of(server.app.services) };
    const ingest = (deliveries: Delivery[]) => ingestBatch(server.app.services, new DefinitionCache(), deliveries, caches);
    await ingest([delivery(['maria@example.com', 'joao@example.com'])]);
    const keyed = delivery(['x@exmaple.com', 'joao@example.com'], { 'idempotency-key': 'k-1' });
    const outcomes = await ingest([
      delivery(['maria@example.com', 'a@exmaple.com']),
      keyed,
      delivery(['joao@example.com']),
      delivery(['b@exmaple.com', 'maria@example.com', 'c@exmaple.com']),
      keyed,
    ]);
    const acks = outcomes.map((o) => (o.ok ? o.value : o.error));
    expect(acks.map((a) => (a as { ack: { unmatched: string[] } }).ack.unmatched)).toEqual([
      ['a@exmaple.com'], ['x@exmaple.com'], [], ['b@exmaple.com', 'c@exmaple.com'], ['x@exmaple.com'],
    ]);
    expect(acks[4]).toEqual({ ack: (acks[1] as { ack: unknown }).ack, duplicate: true });
    const [later] = await ingest([keyed]);
    expect(later).toEqual({ ok: true, value: { ack: (acks[1] as { ack: unknown }).ack, duplicate: true } });
  });

  // respond.io shows skipped enrolments: a 202 without runs says why (the event's note).
  it('says why a matched contact got no run (once per contact), on the first answer and on repeats', async () => {
    const maria = await makeContact(server, { email: 'maria@example.com' });
    const joao = await makeContact(server, { email: 'joao@example.com' });
    const created = await server.api(server.adminToken).post('/workflows', {
      name: 'Welcome once', status: 'published', oncePerContact: true,
      trigger: { type: 'incoming_webhook', identifier: { type: 'email', jsonKey: '$.customer.email' }, mappings: [] },
      steps: [{ id: 's', type: 'add_comment', config: { text: 'hi' } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const path = new URL(created.body.trigger.url as string).pathname;
    const first = await post(path, { customer: { email: ['maria@example.com'] } });
    expect(WebhookAck.strict().parse(first.body)).toEqual({ eventId: expect.any(String), runIds: [expect.any(String)], unmatched: [] });
    // Maria is enrolled (known, PostgreSQL's one-statement write); João is new (its transaction).
    const both = await post(path, { customer: { email: ['maria@example.com', 'joao@example.com'] } });
    // The sender is outside: the reason without our workflow and contact ids.
    expect(both.body).toEqual({ eventId: expect.any(String), runIds: [expect.any(String)], unmatched: [], notes: ['once per contact: the contact was already enrolled in this workflow, so it did not start again'] });
    const none = await post(path, { customer: { email: ['joao@example.com', 'maria@example.com'] } }, { 'idempotency-key': 'again-1' });
    expect(none.status).toBe(202);
    expect(WebhookAck.strict().parse(none.body)).toEqual({
      eventId: expect.any(String), runIds: [], unmatched: [],
      notes: ['once per contact: 2 contacts were already enrolled in this workflow, so it did not start again for them'],
    });
    expect(JSON.stringify([both.body, none.body])).not.toMatch(new RegExp(`${created.body.id}|${maria.id}|${joao.id}`));
    // The admin's event log keeps which.
    const event = await server.app.services.db.selectFrom('events').select('note').where('id', '=', none.body.eventId).executeTakeFirstOrThrow();
    expect(event.note).toBe(`once per contact: already enrolled, not started: ${created.body.id} for ${joao.id}, ${created.body.id} for ${maria.id}`);
    const repeat = await post(path, { customer: { email: ['joao@example.com', 'maria@example.com'] } }, { 'idempotency-key': 'again-1' });
    expect(repeat.headers.get('x-duplicate-delivery')).toBe('true');
    expect(repeat.body).toEqual(none.body);
  });

  it('documents `unmatched` in the OpenAPI description of POST /hooks/{token}', async () => {
    const doc = (await server.request('GET', '/docs/json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const accepted = JSON.stringify(doc.paths['/hooks/{token}']?.post?.responses['202']);
    expect(accepted).toContain('"unmatched"');
    expect(accepted).toContain('matched no contact');
    expect(accepted).toContain('"notes"');
  });
}
