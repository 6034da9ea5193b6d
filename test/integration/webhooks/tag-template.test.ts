import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

// An Update Contact Tag step whose tag is a template: a variable that comes out empty for a run
// fails the run saying which, instead of tagging the contact `webhook-` (or nothing).

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const deliver = (path: string, body: unknown) =>
  server.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

async function tagOnWebhook(tags: string[]) {
  const contact = await makeContact(server, { firstName: 'Ada', phone: '+14155550123', tags: ['lead'] });
  const hook = await publishWebhookWorkflow(server,
    { mappings: [{ jsonKey: '$.source', variable: 'source' }, { jsonKey: '$.plan', variable: 'plan' }] },
    [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags } }]);
  const run = async (body: Record<string, unknown>) => {
    const res = await deliver(hook.path, { phone: '+14155550123', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return waitForRun(server, res.body.runIds[0]);
  };
  const tagsNow = async () => (await server.api(server.adminToken).get(`/contacts/${contact.id}`)).body.tags as string[];
  return { run, tagsNow };
}

describe('Update Contact Tag with a template', () => {
  it.each([
    ['a variable missing from the body', { plan: 'pro' }],
    ['a variable that is blank', { source: '  ', plan: 'pro' }],
  ])('%s fails the run naming the variable and the tag; no tag changes', async (_name, body) => {
    const { run, tagsNow } = await tagOnWebhook(['webhook-{{$trigger.source}}', 'plan-{{$trigger.plan}}']);
    const failed = await run(body);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('The tag “webhook-{{$trigger.source}}” came out as “webhook-”: {{$trigger.source}} was empty for this run; no tag was changed');
    expect(await tagsNow()).toEqual(['lead']);

    const done = await run({ source: 'shopify', plan: 'pro' });
    expect(done.status, done.error ?? '').toBe('completed');
    expect(await tagsNow()).toEqual(['lead', 'webhook-shopify', 'plan-pro']);
  });

  it('a tag made only of empty variables fails the run too, naming each', async () => {
    const { run, tagsNow } = await tagOnWebhook(['{{$trigger.source}}{{$trigger.plan}}']);
    const failed = await run({});
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('The tag “{{$trigger.source}}{{$trigger.plan}}” came out empty: {{$trigger.source}} and {{$trigger.plan}} were empty for this run; no tag was changed');
    expect(await tagsNow()).toEqual(['lead']);
  });
});
