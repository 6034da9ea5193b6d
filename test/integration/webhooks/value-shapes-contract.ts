import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../../server/outbound/test-server';
import type { TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

/**
 * What a webhook's values are, over real HTTP, as a user sees them in Branch outcomes and in the
 * requests an HTTP step sends to a loopback server: a wildcard mapping is a list for 0, 1 or 2
 * line items alike; an id past 2^53 (Shopify's own example) keeps every digit into the URL, the
 * body and back out of an HTTP answer; Branch "is" compares amounts as numbers. Shared by the
 * SQLite and PostgreSQL suites (the variables go through each store's JSON).
 */
export function valueShapesContract(start: () => Promise<TestServer>) {
  let server: TestServer;
  let remote: HttpServer;
  const received: { url: string; body: string }[] = [];
  let answer = '{"ok":true}';
  beforeEach(async () => {
    server = await start();
    received.length = 0;
    answer = '{"ok":true}';
    remote = await startHttpServer(async (req, res) => {
      received.push({ url: req.url ?? '', body: await readBody(req) });
      res.setHeader('content-type', 'application/json');
      res.end(answer);
    });
  });
  afterEach(async () => {
    await server.close();
    await remote.close();
  });

  const post = (path: string, text: string) => server.request('POST', path, { body: text, headers: { 'content-type': 'application/json' } });
  const stepOf = (run: { stepLog: { stepId: string }[] }, id: string) => run.stepLog.find((s) => s.stepId === id);

  async function customer() {
    const contact = await makeContact(server, { phone: '+14155550123' });
    const opened = await server.api(server.adminToken).post('/conversations', { contactId: contact.id });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    return opened.body.id as string;
  }

  async function deliver(path: string, text: string) {
    const res = await post(path, text);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await waitForRun(server, res.body.runIds[0]);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    return run;
  }

  it('a wildcard mapping is a list for one line item as for two: Branch contains and the JSON body agree', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.line_items[*].sku', variable: 'skus' }] }, [
      { id: 'check', type: 'branch', config: { branches: [{ name: 'has iPod', conditions: { logic: 'and', rules: [{ left: '{{$trigger.skus}}', operator: 'contains', right: 'IPOD' }] }, goTo: 'call' }] } },
      { id: 'call', type: 'http_request', config: { method: 'POST', url: `${remote.url}/orders`, body: '{"skus": {{$trigger.skus}}, "text": "{{$trigger.skus}}"}' } },
    ]);
    const cases: [unknown[], string, unknown][] = [
      [[{ sku: 'IPOD-342' }], 'has iPod', ['IPOD-342']],
      [[{ sku: 'IPOD-342' }, { sku: 'CASE-9' }], 'has iPod', ['IPOD-342', 'CASE-9']],
      [[{ sku: 'CASE-9' }], 'else', ['CASE-9']],
      [[], 'else', []],
    ];
    for (const [lineItems, branch, skus] of cases) {
      const run = await deliver(hook.path, JSON.stringify({ phone: '+14155550123', line_items: lineItems }));
      expect(run.variables.trigger).toEqual({ skus });
      expect(stepOf(run, 'check')).toMatchObject({ output: { branch } });
      expect(JSON.stringify(run.stepLog)).not.toContain('matched nothing');
    }
    expect(received.map((r) => JSON.parse(r.body))).toEqual([
      { skus: ['IPOD-342'], text: 'IPOD-342' },
      { skus: ['IPOD-342', 'CASE-9'], text: 'IPOD-342, CASE-9' },
      { skus: ['CASE-9'], text: 'CASE-9' },
      { skus: [], text: '' },
    ]);
  });

  it('the mapping tester shows a list for one item as for two, per item too', async () => {
    await makeContact(server, { email: 'ana@example.com' });
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'email', jsonKey: '$.orders[*].email' },
      mappings: [{ jsonKey: '$.orders[*].lines[*].sku', variable: 'skus' }, { jsonKey: '$.orders[*].id', variable: 'order' }],
    }, [{ id: 'say', type: 'add_comment', config: { text: '{{$trigger.skus}}' } }]);
    const body = { orders: [
      { id: 'o-1', email: 'ana@example.com', lines: [{ sku: 'A1' }, { sku: 'A2' }] },
      { id: 'o-2', email: 'ana@example.com', lines: [{ sku: 'B1' }] },
      { id: 'o-3', email: 'ana@example.com', lines: [] },
    ] };
    const res = await server.api(server.adminToken).post(`/workflows/${hook.id}/webhook/test`, { body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.map((i: { variables: unknown }) => i.variables)).toEqual([
      { skus: ['A1', 'A2'], order: 'o-1' }, { skus: ['B1'], order: 'o-2' }, { skus: [], order: 'o-3' },
    ]);
    expect(res.body.items.flatMap((i: { errors: unknown[] }) => i.errors)).toEqual([]);
  });

  it("keeps every digit of an id past 2^53: into the URL, the JSON body, and out of an HTTP answer", async () => {
    const conversationId = await customer();
    answer = '{"id":12345678901234567890,"small":12}';
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }, { jsonKey: '$.order.line_items[*].id', variable: 'lineIds' }] }, [
      {
        id: 'call', type: 'http_request',
        config: {
          method: 'POST', url: `${remote.url}/orders/{{$trigger.orderId}}`,
          body: '{"id": {{$trigger.orderId}}, "text": "{{$trigger.orderId}}", "lines": {{$trigger.lineIds}}}',
          responseMappings: [{ jsonKey: '$.id', variable: 'rid' }, { jsonKey: '$.small', variable: 'small' }],
        },
      },
      { id: 'again', type: 'http_request', config: { method: 'POST', url: `${remote.url}/receipts`, body: '{"rid": {{$step.rid}}, "small": {{$step.small}}}' } },
      { id: 'say', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}}, receipt {{$step.rid}}' } },
    ]);
    // Shopify's documented example order id, sent as a JSON number.
    const run = await deliver(hook.path, '{"phone":"+14155550123","order":{"id":820982911946154508,"line_items":[{"id":866550311766439020},{"id":7}]}}');
    expect(run.variables.trigger).toEqual({ orderId: '820982911946154508', lineIds: ['866550311766439020', 7] });
    expect(run.variables.step).toMatchObject({ rid: '12345678901234567890', small: 12 });
    expect(received).toEqual([
      { url: '/orders/820982911946154508', body: '{"id": 820982911946154508, "text": "820982911946154508", "lines": [866550311766439020,7]}' },
      { url: '/receipts', body: '{"rid": 12345678901234567890, "small": 12}' },
    ]);
    const [event] = await server.events('webhook.received');
    expect(event!.payload.variables).toEqual({ orderId: '820982911946154508', lineIds: ['866550311766439020', 7] });
    const messages = (await server.api(server.adminToken).get(`/conversations/${conversationId}`)).body.messages as { text: string }[];
    expect(messages.map((m) => m.text)).toContain('Order 820982911946154508, receipt 12345678901234567890');
  });

  it('Branch "is" compares amounts as numbers when both sides are one, ids by their digits', async () => {
    await customer();
    const rule = (left: string, right: string) => ({ logic: 'and', rules: [{ left, operator: 'is', right }] });
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.total', variable: 'total' }, { jsonKey: '$.id', variable: 'id' }] }, [
      { id: 'amount', type: 'branch', config: { branches: [{ name: 'exactly 1250', conditions: rule('{{$trigger.total}}', '1250'), goTo: 'id' }] } },
      { id: 'id', type: 'branch', config: { branches: [{ name: 'that order', conditions: rule('{{$trigger.id}}', '820982911946154508'), goTo: 'end' }] } },
      { id: 'end', type: 'add_comment', config: { text: 'done' } },
    ]);
    const cases: [string, string, string][] = [
      ['{"phone":"+14155550123","total":"1250.00","id":820982911946154508}', 'exactly 1250', 'that order'],
      ['{"phone":"+14155550123","total":"1,250.00","id":820982911946154509}', 'exactly 1250', 'else'],
      ['{"phone":"+14155550123","total":1250,"id":"820982911946154508"}', 'exactly 1250', 'that order'],
      ['{"phone":"+14155550123","total":"1250.01","id":1}', 'else', 'else'],
      ['{"phone":"+14155550123","total":"1,250","id":1}', 'else', 'else'],
    ];
    for (const [text, amount, id] of cases) {
      const run = await deliver(hook.path, text);
      expect([stepOf(run, 'amount'), stepOf(run, 'id')], text).toMatchObject([{ output: { branch: amount } }, { output: { branch: id } }]);
    }
  });
}

const readBody = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let body = '';
  req.on('data', (c) => { body += String(c); });
  req.on('end', () => resolve(body));
});
