import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

// The mapping tester shows what a delivery would give: Shopify's order id 820982911946154508,
// past 2^53, keeps its digits in the tester's answer as in a real delivery's run, not
// 820982911946154500 (another order). The rest of the API's JSON rules hold on the route.

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const SAMPLE = '{"phone":"+14155550123","order":{"id":820982911946154508,"line_items":[{"id":866550311766439020},{"id":7}],"total":12.5}}';

it('POST /workflows/:id/webhook/test keeps the digits of an id past 2^53, as a delivery does', async () => {
  const contact = await makeContact(server, { firstName: 'Ana', phone: '+14155550123' });
  const hook = await publishWebhookWorkflow(server, {
    mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }, { jsonKey: '$.order.line_items[*].id', variable: 'lineIds' }, { jsonKey: '$.order.total', variable: 'total' }],
  });
  const tested = await server.request('POST', `/api/v1/workflows/${hook.id}/webhook/test`, {
    token: server.adminToken, headers: { 'content-type': 'application/json' }, body: `{"body":${SAMPLE}}`,
  });
  expect(tested.status, JSON.stringify(tested.body)).toBe(200);
  expect(tested.body).toMatchObject({ contactIds: [contact.id], variables: { orderId: '820982911946154508', lineIds: ['866550311766439020', 7], total: 12.5 }, errors: [] });

  const delivered = await server.request('POST', hook.path, { headers: { 'content-type': 'application/json' }, body: SAMPLE });
  expect(delivered.status, JSON.stringify(delivered.body)).toBe(202);
  const run = await waitForRun(server, delivered.body.runIds[0]);
  expect(run.variables.trigger).toEqual(tested.body.variables);

  // The rest as the API parses elsewhere: bad JSON 400, "__proto__" 400, an empty body is none (422).
  const send = (body: string) => server.request('POST', `/api/v1/workflows/${hook.id}/webhook/test`, {
    token: server.adminToken, headers: { 'content-type': 'application/json' }, body,
  });
  const bad = await send('{"body": {"id": 820982911946154508,}}');
  expect(bad.status, JSON.stringify(bad.body)).toBe(400);
  const proto = await send('{"body": {"__proto__": {"x": 1}, "id": 820982911946154508}}');
  expect(proto.status, JSON.stringify(proto.body)).toBe(400);
  const elsewhere = await server.request('POST', '/api/v1/contacts', { token: server.adminToken, headers: { 'content-type': 'application/json' }, body: '{"__proto__": {"x": 1}}' });
  expect(proto.body.error.code).toBe(elsewhere.body.error.code);
  expect((await send('')).status).toBe(422);
});
