import { afterEach, beforeEach, expect, it } from 'vitest';
import { WebhookAck } from '../../../lib/contracts/webhooks';
import type { TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

/**
 * Senders that cannot add an Idempotency-Key (Shopify, GitHub, Svix) name each delivery in a
 * header of their own, the same on every retry: a retry (Shopify's after a slow answer or a crash
 * between storing and answering) gets the first 202 with `x-duplicate-delivery: true` and starts
 * no second run. Shared by the SQLite and PostgreSQL suites (their write paths differ).
 */
export function providerIdsContract(start: () => Promise<TestServer>) {
  let server: TestServer;
  beforeEach(async () => { server = await start(); });
  afterEach(async () => { await server.close(); });

  const order = (id: string) => ({ phone: '+14155550123', order: { id } });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const runsOf = async (workflowId: string) =>
    ((await server.api(server.adminToken).get(`/workflows/${workflowId}/runs`)).body as { runs: { id: string }[] }).runs;

  it.each([
    ['X-Shopify-Webhook-Id', 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043'],
    ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
    ['webhook-id', 'msg_2KWPBCMzR5VXYW8xqGDKd0SLnHk'],
    ['svix-id', 'msg_p5jXN8AQM9LWM0D4loKWxJek'],
  ])('a delivery retried with the same %s gets the first 202 and starts nothing', async (header, id) => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const first = await post(hook.path, order('1001'), { [header]: id });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.headers.get('x-duplicate-delivery')).toBeNull();
    const retried = await post(hook.path, order('1001'), { [header]: id });
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    expect(retried.headers.get('x-duplicate-delivery')).toBe('true');
    expect(WebhookAck.parse(retried.body)).toEqual(WebhookAck.parse(first.body));
    // Copies arriving together (a retry while the first answer is slow) are one delivery too.
    const together = await Promise.all([1, 2, 3].map(() => post(hook.path, order('1001'), { [header]: id })));
    expect(together.map((r) => [r.status, r.headers.get('x-duplicate-delivery')])).toEqual([[202, 'true'], [202, 'true'], [202, 'true']]);
    // Another delivery id is another delivery.
    const next = await post(hook.path, order('1002'), { [header]: `${id}-2` });
    expect(next.headers.get('x-duplicate-delivery')).toBeNull();
    expect(await runsOf(hook.id)).toHaveLength(2);
    expect(await server.events('webhook.received')).toHaveLength(2);
  });

  it('an Idempotency-Key wins over a provider id; without one, the provider id is the key', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const shopify = { 'x-shopify-webhook-id': 'shop-delivery-7' };
    const keyed = await post(hook.path, order('7'), { ...shopify, 'idempotency-key': 'order-7' });
    // Same provider id, another explicit key: the key decides, so this is a new delivery.
    const otherKey = await post(hook.path, order('7'), { ...shopify, 'idempotency-key': 'order-7-again' });
    expect(otherKey.headers.get('x-duplicate-delivery')).toBeNull();
    expect(otherKey.body.eventId).not.toBe(keyed.body.eventId);
    const sameKey = await post(hook.path, order('7'), { 'idempotency-key': 'order-7' });
    expect(sameKey.headers.get('x-duplicate-delivery')).toBe('true');
    expect(sameKey.body).toEqual(keyed.body);
    // A blank Idempotency-Key is no key: the provider id counts.
    const blank = await post(hook.path, order('8'), { 'x-shopify-webhook-id': 'shop-delivery-8', 'idempotency-key': ' ' });
    const blankAgain = await post(hook.path, order('8'), { 'x-shopify-webhook-id': 'shop-delivery-8' });
    expect(blankAgain.headers.get('x-duplicate-delivery')).toBe('true');
    expect(blankAgain.body).toEqual(blank.body);
    expect(await runsOf(hook.id)).toHaveLength(3);
  });

  it('is scoped per workflow URL, and the same id with another body is a 409 naming the header', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const a = await publishWebhookWorkflow(server);
    const b = await publishWebhookWorkflow(server);
    const id = { 'x-github-delivery': 'guid-1' };
    expect((await post(a.path, order('1'), id)).status).toBe(202);
    const elsewhere = await post(b.path, order('1'), id);
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.headers.get('x-duplicate-delivery')).toBeNull();
    const reused = await post(a.path, order('2'), id);
    expect(reused.status, JSON.stringify(reused.body)).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(reused.body.error.message).toContain('X-GitHub-Delivery');
    expect(await runsOf(a.id)).toHaveLength(1);
    expect(await runsOf(b.id)).toHaveLength(1);
  });

  it('ignores WooCommerce\'s delivery id (a hash of the webhook and the second: shared by two orders of one second)', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const sameSecond = { 'x-wc-webhook-delivery-id': '36e520ebabc2fa725092ff4a47acedf2', 'x-wc-webhook-topic': 'order.created' };
    const first = await post(hook.path, order('4750'), sameSecond);
    const second = await post(hook.path, order('4751'), sameSecond);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.headers.get('x-duplicate-delivery')).toBeNull();
    expect(await runsOf(hook.id)).toHaveLength(2);
  });

  it('a provider id too long to keep whole is not used: no 422 the sender could not fix, and no dedupe', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const long = { 'x-github-delivery': 'g'.repeat(201) };
    const sent = [await post(hook.path, order('1'), long), await post(hook.path, order('1'), long)];
    expect(sent.map((r) => [r.status, r.headers.get('x-duplicate-delivery')])).toEqual([[202, null], [202, null]]);
    expect(await runsOf(hook.id)).toHaveLength(2);
  });

  it('a delivery without these headers costs no statement more; one with a provider id costs the one read of earlier keys', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const counters = server.store.counters!;
    const cost = async (body: unknown, headers: Record<string, string> = {}) => {
      const before = counters.statements;
      expect((await post(hook.path, body, headers)).status).toBe(202);
      return counters.statements - before;
    };
    await cost(order('warm-up')); // caches (workflow, enrolment, country) filled
    const bare = await cost(order('1'));
    const unrelated = await cost(order('2'), { 'x-request-id': 'r-1', 'x-wc-webhook-delivery-id': 'abc', 'user-agent': 'Shopify-Captain-Hook' });
    const shopify = await cost(order('3'), { 'x-shopify-webhook-id': 'shop-3' });
    const keyed = await cost(order('4'), { 'idempotency-key': 'key-4' });
    expect(unrelated).toBe(bare);
    expect(shopify).toBe(keyed);
    expect(shopify).toBe(bare + 1);
  });
}
