import { afterEach, beforeEach, expect, it } from 'vitest';
import { DefinitionCache } from '../../../server/engine/dispatch/dispatcher';
import { HttpError } from '../../../server/http-error';
import { signHeaders, generateSigningSecret } from '../../../server/signing/standard-webhooks';
import { ingestBatch, type Delivery } from '../../../server/webhooks/batch-ingest';
import { HookWorkflowCache } from '../../../server/webhooks/hook-workflows';
import { KnownEnrolments } from '../../../server/webhooks/known-enrolments';
import { fromJson } from '../../../server/store/database';
import type { TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

/**
 * Group commit on one dialect: deliveries ingested together in ONE transaction get the same
 * rows and answers as one at a time. `ingestBatch` is called directly where the test needs
 * to know exactly which deliveries share a batch; over HTTP, concurrency decides.
 */
export function batchContract(start: () => Promise<TestServer>) {
  let server: TestServer;
  // Kept across batches, as the server's own ingest keeps it: changes to a workflow must still count from the next batch.
  let hooks: HookWorkflowCache;
  beforeEach(async () => { server = await start(); hooks = HookWorkflowCache.of(server.app.services); });
  afterEach(async () => { await server?.close(); });

  const tokenOf = (path: string) => path.split('/').pop()!;
  const delivery = (path: string, body: unknown, headers: Record<string, string> = {}): Delivery =>
    ({ token: tokenOf(path), rawBody: JSON.stringify(body), body, headers });
  const batch = (deliveries: Delivery[]) => ingestBatch(server.app.services, new DefinitionCache(), deliveries, { hooks });
  const runsOf = (eventId: string) => server.store.db.selectFrom('runs').selectAll().where('event_id', '=', eventId).orderBy('id').execute();
  const statusOf = (o: Awaited<ReturnType<typeof batch>>[number]) => (o.ok ? 202 : (o.error as HttpError).statusCode);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

  it('many concurrent deliveries: each its own event, run and answer, all completed', async () => {
    const contacts = await Promise.all(Array.from({ length: 5 }, (_, i) => makeContact(server, { phone: `+1415555010${i}` })));
    const hook = await publishWebhookWorkflow(server, {}, [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['hooked'] } }]);
    const responses = await Promise.all(Array.from({ length: 60 }, (_, n) => post(hook.path, { phone: contacts[n % 5]!.phone, order: { id: `o-${n}` } })));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 202));
    expect(new Set(responses.map((r) => r.body.eventId)).size).toBe(60);
    const runIds = responses.flatMap((r) => r.body.runIds as string[]);
    expect(new Set(runIds).size).toBe(60);
    const runs = await Promise.all(runIds.map((id) => waitForRun(server, id, 30_000)));
    runs.forEach((run, n) => {
      expect(run.status).toBe('completed');
      expect(run.contactId).toBe(contacts[n % 5]!.id);
      expect(run.variables.trigger.orderId).toBe(`o-${n}`);
    });
    const events = await server.events('webhook.received');
    expect(events).toHaveLength(60);
  });

  // Pairs already enrolled (and known so) take PostgreSQL's one-statement write; new pairs enrol in a transaction.
  for (const known of [false, true]) it(`one batch${known ? ' of pairs already enrolled' : ''}: rows as the dispatcher makes them (event payload, run variables, open conversation)`, async () => {
    const a = await makeContact(server, { phone: '+14155550101' });
    const b = await makeContact(server, { phone: '+14155550102' });
    const conversation = await server.api(server.adminToken).post('/conversations', { contactId: a.id });
    const hook = await publishWebhookWorkflow(server, { identifier: { type: 'phone', jsonKey: '$.phones' } });
    const enrolled = new KnownEnrolments();
    if (known) await ingestBatch(server.app.services, new DefinitionCache(), [delivery(hook.path, { phones: [a.phone, b.phone] })], { enrolled, hooks });
    const [one, two] = await ingestBatch(server.app.services, new DefinitionCache(), [
      delivery(hook.path, { phones: ['+1 415 555 0101', '+1 415-555-0102', '+14155550101'], order: { id: 'X' } }),
      delivery(hook.path, { phones: '+14155550102' }),
    ], { enrolled, hooks });
    expect(one!.ok && two!.ok).toBe(true);
    if (!one!.ok || !two!.ok) return;
    const runs = await runsOf(one!.value.ack.eventId);
    expect(runs.map((r) => r.id)).toEqual(one!.value.ack.runIds);
    expect(runs.map((r) => [r.contact_id, r.conversation_id, r.event_type, r.depth])).toEqual([
      [a.id, conversation.body.id, 'webhook.received', 0], [b.id, null, 'webhook.received', 0]]);
    expect(fromJson(runs[0]!.variables, {})).toEqual({ trigger: { orderId: 'X' } });
    expect(fromJson(runs[0]!.step_log, [])).toEqual([]);
    const events = (await server.events('webhook.received')).filter((e) => e.id === one!.value.ack.eventId || e.id === two!.value.ack.eventId);
    expect(events.map((e) => [e.id, e.source, e.contactId, e.payload])).toEqual([
      [one!.value.ack.eventId, 'api', null, { workflowId: hook.id, contactIds: [a.id, b.id], variables: { orderId: 'X' }, errors: [] }],
      [two!.value.ack.eventId, 'api', null, { workflowId: hook.id, contactIds: [b.id], variables: {}, errors: [expect.objectContaining({ variable: 'orderId' })] }],
    ]);
    // A mapping error starts the run's log (the 'trigger' entry), the variable stays empty.
    const [second] = await runsOf(two!.value.ack.eventId);
    expect(fromJson(second!.variables, {})).toEqual({ trigger: { orderId: null } });
    expect(fromJson<any[]>(second!.step_log, [])[0]).toMatchObject({ stepId: 'trigger', type: 'trigger', notes: [expect.stringMatching(/mapping orderId: \$\.order\.id matched nothing/)] });
  });

  it('one contact three times in a batch: the first run is a queue head, the others wait behind it, and all complete in order', async () => {
    await makeContact(server, { phone: '+14155550177' });
    const hook = await publishWebhookWorkflow(server, {}, [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['hooked'] } }]);
    const outcomes = await batch([1, 2, 3].map((n) => delivery(hook.path, { phone: '+14155550177', order: { id: `o-${n}` } })));
    const runIds = outcomes.flatMap((o) => (o.ok ? o.value.ack.runIds : []));
    expect(runIds).toHaveLength(3);
    const rows = await server.store.db.selectFrom('runs').select(['id', 'blocked']).where('id', 'in', runIds).orderBy('id').execute();
    // Stored so: the picks read one head for the burst, not a backlog to check run by run.
    expect(rows.map((r) => [r.id, Number(r.blocked)])).toEqual([[runIds[0], 0], [runIds[1], 1], [runIds[2], 1]]);
    const runs = await Promise.all(runIds.map((id) => waitForRun(server, id, 30_000)));
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    const ended = runs.map((r) => r.endedAt as string);
    expect([...ended].sort()).toEqual(ended);
  });

  it('duplicates inside one batch: one event, one run, every copy the same answer', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const secret = generateSigningSecret();
    const plain = await publishWebhookWorkflow(server);
    const signed = await publishWebhookWorkflow(server, { signingSecret: secret });
    const body = { phone: '+14155550123', order: { id: 1 } };
    const signedHeaders = signHeaders(secret, { id: 'msg_9', timestamp: new Date(), body: JSON.stringify(body) });
    const outcomes = await batch([
      delivery(plain.path, { phone: { not: 'a phone' } }, { 'idempotency-key': 'k1' }), // invalid: stands alone, as if it came first
      delivery(plain.path, body, { 'idempotency-key': 'k1' }),
      delivery(plain.path, body, { 'idempotency-key': 'k1' }),
      delivery(plain.path, { phone: { not: 'a phone' } }, { 'idempotency-key': 'k1' }), // a later use of k1 for another body: 409
      delivery(signed.path, body, signedHeaders),
      delivery(signed.path, body, signedHeaders),
      delivery(plain.path, body, { 'idempotency-key': 'k2' }),
    ]);
    expect(outcomes.map(statusOf)).toEqual([422, 202, 202, 409, 202, 202, 202]);
    const acks = outcomes.map((o) => (o.ok ? o.value : undefined));
    expect(acks[1]!.duplicate).toBe(false);
    expect(acks[2]).toEqual({ ack: acks[1]!.ack, duplicate: true });
    expect(acks[5]).toEqual({ ack: acks[4]!.ack, duplicate: true });
    expect(acks[6]!.ack.eventId).not.toBe(acks[1]!.ack.eventId);
    expect(await server.events('webhook.received')).toHaveLength(3);
    for (const i of [1, 4, 6]) expect(await runsOf(acks[i]!.ack.eventId)).toHaveLength(1);
    // The next batch finds the stored ones.
    const again = await batch([delivery(plain.path, body, { 'idempotency-key': 'k1' }), delivery(signed.path, body, signedHeaders)]);
    expect(again.map((o) => o.ok && o.value)).toEqual([{ ack: acks[1]!.ack, duplicate: true }, { ack: acks[4]!.ack, duplicate: true }]);
    // Over HTTP, concurrent copies get one run and the header on the repeats.
    const copies = await Promise.all(Array.from({ length: 8 }, () => post(plain.path, body, { 'idempotency-key': 'k3' })));
    expect(new Set(copies.map((c) => JSON.stringify(c.body))).size).toBe(1);
    expect(copies.filter((c) => c.headers.get('x-duplicate-delivery') === 'true')).toHaveLength(7);
  });

  it('one bad delivery in a batch of good ones gets its own error; the others are stored', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const secret = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server);
    const signed = await publishWebhookWorkflow(server, { signingSecret: secret });
    const good = (n: number) => delivery(hook.path, { phone: '+14155550123', order: { id: n } });
    const outcomes = await batch([
      good(1),
      delivery(hook.path.replace(/[^/]+$/, 'nope'), { phone: '+14155550123' }),
      delivery(hook.path.replace(/[^/]+$/, 'bad token with spaces'), { phone: '+14155550123' }),
      good(2),
      delivery(hook.path, { phone: '+19999999999' }),
      delivery(hook.path, { phone: { a: 1 } }),
      delivery(hook.path, [1, 2]),
      delivery(signed.path, { phone: '+14155550123' }),
      good(3),
    ]);
    // A phone nobody has is accepted without a run (its event says so); an identifier of the wrong kind is the 422.
    expect(outcomes.map(statusOf)).toEqual([202, 404, 404, 202, 202, 422, 422, 401, 202]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : (o.error as HttpError).code)))
      .toEqual(['ok', 'not_found', 'not_found', 'ok', 'ok', 'contact_not_identified', 'contact_not_identified', 'invalid_signature', 'ok']);
    expect(outcomes[4]!.ok && outcomes[4]!.value.ack).toMatchObject({ runIds: [], unmatched: ['+19999999999'], notes: ['No contact with phone +19999999999; no run started'] });
    expect(await server.events('webhook.received')).toHaveLength(4);
  });

  for (const known of [false, true]) it(`a batch${known ? ' of pairs already enrolled' : ''} whose write fails is retried one by one: only the culprit fails, nothing half-written`, async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const enrolled = new KnownEnrolments();
    if (known) {
      await ingestBatch(server.app.services, new DefinitionCache(), [delivery(hook.path, { phone: '+14155550123' }, { 'idempotency-key': 'warm-up' })], { enrolled, hooks });
      expect(enrolled.has(hook.id, contact.id)).toBe(true);
    }
    // A NUL in a bound parameter fails the batch's whole write (both dialects refuse it).
    const outcomes = await ingestBatch(server.app.services, new DefinitionCache(), [
      delivery(hook.path, { phone: '+14155550123' }, { 'idempotency-key': 'fine' }),
      delivery(hook.path, { phone: '+14155550123' }, { 'idempotency-key': 'nul\u0000key' }),
      delivery(hook.path, { phone: '+14155550123' }),
    ], { enrolled, hooks });
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]!.ok ? undefined : (outcomes[1]!.error as { code?: string }).code).toMatch(/^(22021|22P05)$/);
    const warmUp = known ? [`hook:${hook.id}:warm-up`] : [];
    const events = await server.events('webhook.received');
    expect(events.map((e) => e.idempotencyKey)).toEqual([...warmUp, `hook:${hook.id}:fine`, null]);
    // Every stored event has its run, and every run its event.
    const runs = await server.store.db.selectFrom('runs').select(['event_id']).orderBy('id').execute();
    expect(runs.map((r) => r.event_id)).toEqual(events.map((e) => e.id));
  });

  it('the same key in two batches written at once: one event and run, both answers the same', async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const enrolled = new KnownEnrolments();
    await ingestBatch(server.app.services, new DefinitionCache(), [delivery(hook.path, { phone: contact.phone })], { enrolled, hooks });
    // On PostgreSQL both batches may read before either writes: the second insert then fails on
    // the key, and its retry (one by one) finds the first one's answer.
    const twice = await Promise.all([1, 2].map(() => ingestBatch(server.app.services, new DefinitionCache(), [
      delivery(hook.path, { phone: contact.phone, order: { id: 'same' } }, { 'idempotency-key': 'k-twice' }),
      delivery(hook.path, { phone: contact.phone, order: { id: 'other' } }),
    ], { enrolled, hooks })));
    const acks = twice.map((outcomes) => outcomes.map((o) => (o.ok ? o.value : undefined)));
    expect(acks.flat().every((a) => a !== undefined)).toBe(true);
    expect(acks[0]![0]!.ack).toEqual(acks[1]![0]!.ack);
    expect(acks.map((a) => a[0]!.duplicate).sort()).toEqual([false, true]);
    const keyed = (await server.events('webhook.received')).filter((e) => e.idempotencyKey === `hook:${hook.id}:k-twice`);
    expect(keyed.map((e) => e.id)).toEqual([acks[0]![0]!.ack.eventId]);
    expect(await runsOf(acks[0]![0]!.ack.eventId)).toHaveLength(1);
    // The other deliveries of both batches were stored, each once.
    expect(new Set(acks.map((a) => a[1]!.ack.eventId)).size).toBe(2);
  });

  it('unpublish and regenerate take effect from the next batch on', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const admin = server.api(server.adminToken);
    const d = () => delivery(hook.path, { phone: '+14155550123' });
    expect((await batch([d(), d()])).map(statusOf)).toEqual([202, 202]);
    await admin.post(`/workflows/${hook.id}/unpublish`);
    expect((await batch([d(), d()])).map(statusOf)).toEqual([404, 404]);
    await admin.post(`/workflows/${hook.id}/publish`);
    const regenerated = await admin.post(`/workflows/${hook.id}/webhook/regenerate`);
    const fresh = new URL(regenerated.body.url).pathname;
    expect((await batch([d(), delivery(fresh, { phone: '+14155550123' })])).map(statusOf)).toEqual([404, 202]);
  });

  it('once per contact holds inside a batch: the first delivery starts the run, the rest note why not', async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const admin = server.api(server.adminToken);
    const hook = await publishWebhookWorkflow(server);
    const current = await admin.get(`/workflows/${hook.id}`);
    const { id: _id, status: _s, version: _v, createdAt: _c, updatedAt: _u, publishedAt: _p, ...def } = current.body;
    expect((await admin.put(`/workflows/${hook.id}`, { ...def, oncePerContact: true })).status).toBe(200);
    const outcomes = await batch([1, 2, 3].map((n) => delivery(hook.path, { phone: '+14155550123', order: { id: n } })));
    const runIds = outcomes.map((o) => (o.ok ? o.value.ack.runIds.length : -1));
    expect(runIds).toEqual([1, 0, 0]);
    const events = await server.store.db.selectFrom('events').select(['note']).where('type', '=', 'webhook.received').orderBy('id').execute();
    expect(events.map((e) => e.note)).toEqual([null,
      `once per contact: already enrolled, not started: ${hook.id} for ${contact.id}`,
      `once per contact: already enrolled, not started: ${hook.id} for ${contact.id}`]);
  });

  it('enrolments a server already knows of: every run still counts for once per contact, per workflow', async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const admin = server.api(server.adminToken);
    const enrolled = new KnownEnrolments();
    const known = (deliveries: Delivery[]) => ingestBatch(server.app.services, new DefinitionCache(), deliveries, { enrolled, hooks });
    const first = await publishWebhookWorkflow(server);
    const second = await publishWebhookWorkflow(server);
    // The pair (first, contact) is enrolled, then delivered again while known: no second row, a second run.
    expect((await known([delivery(first.path, { phone: contact.phone, order: { id: 1 } })])).map(statusOf)).toEqual([202]);
    const again = await known([delivery(first.path, { phone: contact.phone, order: { id: 2 } })]);
    expect(again[0]!.ok && again[0]!.value.ack.runIds.length).toBe(1);
    const rows = await server.store.db.selectFrom('enrollments').selectAll().where('contact_id', '=', contact.id).execute();
    expect(rows.map((r) => r.workflow_id)).toEqual([first.id]);
    // Switched to once per contact: the known pair is not started again, and knowing it says
    // nothing of the same contact in another workflow, whose first delivery still starts a run.
    for (const hook of [first, second]) {
      const current = await admin.get(`/workflows/${hook.id}`);
      const { id: _id, status: _s, version: _v, createdAt: _c, updatedAt: _u, publishedAt: _p, ...def } = current.body;
      expect((await admin.put(`/workflows/${hook.id}`, { ...def, oncePerContact: true })).status).toBe(200);
    }
    const once = await known([
      delivery(first.path, { phone: contact.phone, order: { id: 3 } }),
      delivery(second.path, { phone: contact.phone, order: { id: 4 } }),
      delivery(second.path, { phone: contact.phone, order: { id: 5 } }),
    ]);
    expect(once.map((o) => (o.ok ? o.value.ack.runIds.length : -1))).toEqual([0, 1, 0]);
    expect((await known([delivery(second.path, { phone: contact.phone, order: { id: 6 } })])).map((o) => (o.ok ? o.value.ack.runIds.length : -1))).toEqual([0]);
  });

  it('a batch with more runs than one INSERT takes (written in chunks)', async () => {
    const phones = Array.from({ length: 100 }, (_, i) => `+1415556${String(i).padStart(4, '0')}`);
    for (const phone of phones) await makeContact(server, { phone });
    const hook = await publishWebhookWorkflow(server, { identifier: { type: 'phone', jsonKey: '$.phones' } }, [{ id: 's', type: 'add_comment', config: { text: 'hi' } }]);
    const outcomes = await batch(Array.from({ length: 20 }, (_, n) => delivery(hook.path, { phones, order: { id: n } })));
    expect(outcomes.every((o) => o.ok && o.value.ack.runIds.length === 100)).toBe(true);
    const count = await server.store.db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2000);
  });
}
