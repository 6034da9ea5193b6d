import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// A 422 says what the value takes, not zod's "Invalid input" or "got NaN".

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server?.close(); });

const TAKES = 'A field value is text (up to 10,000 characters), a number, true, false or null; this is';

describe('a custom field value that is none of text, number, true/false, null', () => {
  it.each([
    ['{"a":1}', 'an object (a field holds one value)'],
    ['["a","b"]', 'a list'],
    ['1e400', 'a number past what JSON numbers hold here (±1.8e308): send such a value as text'],
  ])('fields.plan: %s', async (value, got) => {
    const res = await server.request('POST', '/api/v1/contacts', {
      token: server.adminToken, headers: { 'content-type': 'application/json' }, body: `{"firstName":"Ana","fields":{"plan":${value}}}`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.fields.plan', message: `${TAKES} ${got}` }]);
  });

  it('on PATCH too', async () => {
    const created = await server.api(server.adminToken).post('/contacts', { firstName: 'Bea' });
    const res = await server.api(server.adminToken).patch(`/contacts/${created.body.id}`, { fields: { plan: { tier: 'gold' } } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.fields.plan', message: `${TAKES} an object (a field holds one value)` }]);
  });
});

describe('an attachment\'s place that is not a number', () => {
  it.each(['abc', '-1', '1.5', '100'])('…/attachments/%s', async (n) => {
    const res = await server.api(server.adminToken).get(`/conversations/cnv_1/messages/msg_1/attachments/${n}`);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'params.n', message: 'Give n as the attachment\'s place in the message\'s `attachments`: a whole number from 0 to 99' }]);
  });
});
