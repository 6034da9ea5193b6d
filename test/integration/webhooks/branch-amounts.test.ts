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
  ])('%s (%j) -> %s', async (_, total, taken, notes) => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    await server.api(server.adminToken).post('/conversations', { contactId: contact.id });
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.total', variable: 'total' }] }, [branch('1000'), thanks]);
    const res = await server.request('POST', hook.path, { body: JSON.stringify({ phone: '+14155550123', total }), headers: { 'content-type': 'application/json' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await waitForRun(server, res.body.runIds[0]);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(run.stepLog[0]).toMatchObject({ stepId: 'check', output: { branch: taken }, notes });
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
