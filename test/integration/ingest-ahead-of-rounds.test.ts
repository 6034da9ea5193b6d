import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookIngest } from '../../server/webhooks/ingest';
import { startTestServer, type TestServer } from '../support/server';
import { makeContact, publishWebhookWorkflow } from './webhooks/support';

// Issue 17: the executor's turn (a run round) and a batch of deliveries can come due in the same
// loop turn: the worker asks for its turn after a rest (timers phase), the poll phase reads
// requests, and both wait in the check phase, the turn first. Every sender in that batch then
// waited a whole round for its 202. Real ingest on the real store; the executor's turn is the
// pacer's, as the worker takes it before each round.

let s: TestServer;
let token: string;
const phone = '+14155550177';
const delivery = (i: number) => {
  const body = { phone, order: { id: `A-${i}` } };
  return { token, rawBody: JSON.stringify(body), body, headers: { 'content-type': 'application/json' } };
};

beforeAll(async () => {
  s = await startTestServer({ workers: false });
  await makeContact(s, { firstName: 'Ack', phone });
  token = (await publishWebhookWorkflow(s)).path.split('/').pop()!;
});
afterAll(async () => { await s?.close(); });

/** Past the pacer's hold after a batch on a busy loop (turns then go one per interval): each case starts from an unpaced loop. */
async function unpaced() {
  while (s.app.services.pacer.busy) await new Promise((r) => setTimeout(r, 10));
}

describe('acknowledgements ahead of run rounds', () => {
  it('a round that comes due while deliveries wait for their batch starts after their 202s, not before', async () => {
    await unpaced();
    const ingest = createWebhookIngest(s.app.services);
    const order: string[] = [];
    const round = s.app.services.pacer.turn().then(() => order.push('round'));
    const acks = Array.from({ length: 5 }, (_, i) => ingest(delivery(i)).then((a) => { order.push('202'); return a; }));
    await Promise.all([round, ...acks]);
    expect(order).toEqual(['202', '202', '202', '202', '202', 'round']);
    expect((await Promise.all(acks)).every((a) => a.ack.runIds.length === 1)).toBe(true);
  });

  it('does not starve runs: while each 202 brings the next delivery, the round still goes after the first batch or two', async () => {
    await unpaced();
    const ingest = createWebhookIngest(s.app.services);
    const order: string[] = [];
    const round = s.app.services.pacer.turn().then(() => order.push('round'));
    // A sender that sends again as soon as it is answered, ten times: deliveries never stop waiting for long.
    const chain = async () => { for (let i = 0; i < 10; i++) { await ingest(delivery(100 + i)); order.push('202'); } };
    await Promise.all([round, chain()]);
    expect(order.indexOf('round')).toBeGreaterThanOrEqual(1);
    expect(order.indexOf('round')).toBeLessThanOrEqual(2);
  });
});
