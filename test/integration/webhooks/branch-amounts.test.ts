import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

// Branch's greater/less than on amounts as other systems send them, over real HTTP: formatted
// amounts compare as numbers; what is no number (or an ambiguous "1,250") goes to else with a
// note in the run log saying why, and a written value that is no number does not publish.

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const branch = (right: string) => ({
  id: 'check', type: 'branch',
  config: { branches: [{ name: 'Big order', conditions: { logic: 'and', rules: [{ left: '{{$trigger.total}}', operator: 'greater_than', right }] }, goTo: 'thanks' }] },
});
const thanks = { id: 'thanks', type: 'add_comment', config: { text: 'Thanks' } };

describe('a Branch comparing an amount from a webhook', () => {
  it.each<[string, unknown, string, string[]]>([
    ['US formatting', '1,250.00', 'Big order', []],
    ['German formatting with a euro sign', '€1.250,50', 'Big order', []],
    ['a JSON number', 1250, 'Big order', []],
    ['a smaller amount', '$999.99', 'else', []],
    ['an ambiguous amount', '1,250', 'else',
      ['Branch "Big order": {{$trigger.total}} is "1,250", which could be 1250 or 1.25 depending on the locale, so "{{$trigger.total}} greater than 1000" does not hold']],
    ['a word', 'lots', 'else', ['Branch "Big order": {{$trigger.total}} is "lots", which is not a number, so "{{$trigger.total}} greater than 1000" does not hold']],
    // €1,250 as written in Germany, Spain or Italy: as ambiguous as "1,250", never 1.25.
    ['one dot and three digits', '1.250', 'else',
      ['Branch "Big order": {{$trigger.total}} is "1.250", which could be 1250 or 1.25 depending on the locale, so "{{$trigger.total}} greater than 1000" does not hold']],
    ['German formatting with cents', '1.250,00', 'Big order', []],
    ['hexadecimal', '0x1000', 'else', ['Branch "Big order": {{$trigger.total}} is "0x1000", which is not a number, so "{{$trigger.total}} greater than 1000" does not hold']],
    ['an exponent', '1e4', 'else', ['Branch "Big order": {{$trigger.total}} is "1e4", which is not a number, so "{{$trigger.total}} greater than 1000" does not hold']],
    ['a filter that matched one total', undefined, 'Big order', []],
  ])('%s (%j) -> %s', async (_, total, taken, notes) => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    await server.api(server.adminToken).post('/conversations', { contactId: contact.id });
    // Without a total, the total line of a list of lines: a filter gives a list of one value.
    const jsonKey = total === undefined ? '$.lines[?@.kind == "total"].amount' : '$.total';
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey, variable: 'total' }] }, [branch('1000'), thanks]);
    const body = total === undefined ? { phone: '+14155550123', lines: [{ kind: 'tax', amount: 10 }, { kind: 'total', amount: '1,250.00' }] } : { phone: '+14155550123', total };
    const res = await server.request('POST', hook.path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await waitForRun(server, res.body.runIds[0]);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(run.stepLog[0]).toMatchObject({ stepId: 'check', output: { branch: taken }, notes });
  });

  it('puts "0x100" or "1.250" into no number field: the step fails saying why', async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    await server.api(server.adminToken).put('/fields/order_total', { label: 'Order total', type: 'number' });
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.total', variable: 'total' }] },
      [{ id: 'save', type: 'update_contact_field', config: { field: 'order_total', value: '{{$trigger.total}}' } }]);
    for (const [total, error] of [['0x100', '"0x100" is not a number'], ['1.250', '"1.250" could be 1250 or 1.25 depending on the locale']]) {
      const res = await server.request('POST', hook.path, { body: JSON.stringify({ phone: '+14155550123', total }), headers: { 'content-type': 'application/json' } });
      const run = await waitForRun(server, res.body.runIds[0]);
      expect(run.status).toBe('failed');
      expect(run.error).toContain(error);
    }
    expect((await server.api(server.adminToken).get(`/contacts/${contact.id}`)).body.fields).toEqual({});
  });

  it('puts a JSON number such as 2.125 or 1.25 into a number field as that number (not read again as text)', async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    await server.api(server.adminToken).put('/fields/weight_kg', { label: 'Weight (kg)', type: 'number' });
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.weight', variable: 'weight' }] },
      [{ id: 'save', type: 'update_contact_field', config: { field: 'weight_kg', value: '{{$trigger.weight}}' } }]);
    for (const weight of [2.125, 1.25, 1250]) {
      const res = await server.request('POST', hook.path, { body: JSON.stringify({ phone: '+14155550123', weight }), headers: { 'content-type': 'application/json' } });
      const run = await waitForRun(server, res.body.runIds[0]);
      expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
      expect((await server.api(server.adminToken).get(`/contacts/${contact.id}`)).body.fields).toEqual({ weight_kg: weight });
    }
  });

  it('does not publish a comparison with a written value that is no number, saying how to write it', async () => {
    const res = await server.api(server.adminToken).post('/workflows', {
      name: 'Big orders', status: 'published',
      trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.total', variable: 'total' }] },
      steps: [branch('1,000'), thanks],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{
      path: 'body.steps.0.config.branches.0.conditions.rules.0.right',
      message: '"1,000" could be 1000 or 1 depending on the locale: enter a number to compare with, without thousands separators, e.g. 1250 or 1250.50',
    }]);
  });
});
