import { afterAll, beforeAll, expect, it } from 'vitest';
import { END_WORKFLOW } from '../../lib/contracts/steps';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { runsOf } from './engine-support';

// An option removed from a contact list field (PUT /fields/plan without Gold) stays on the
// contacts that hold it, so a cleanup workflow "plan is Gold → set plan to Pro" is what an admin
// writes next. Publishing refused it ("would never hold"); it publishes, and its run moves the
// contact from Gold to Pro.

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => server?.close());

const cleanup = {
  name: 'Move retired Gold plan to Pro', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['migrate'] },
  steps: [
    { id: 'b', type: 'branch', config: { branches: [{ name: 'Gold', conditions: { logic: 'and', rules: [{ left: '{{$contact.fields.plan}}', operator: 'is', right: 'Gold' }] }, goTo: 'set' }], elseGoTo: END_WORKFLOW } },
    { id: 'set', type: 'update_contact_field', config: { field: 'plan', value: 'Pro' } },
  ],
};

it('publishes a Branch on a retired option and its run moves the contacts still holding it', async () => {
  const api = server.api(server.adminToken);
  const plan = (options: string[]) => api.put('/fields/plan', { label: 'Plan', type: 'list', options });
  expect((await plan(['Free', 'Gold', 'Pro', 'Enterprise'])).status).toBeLessThan(300);
  const contact = await api.post('/contacts', { firstName: 'Maria', phone: '+34600111222', fields: { plan: 'Gold' } });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  expect((await plan(['Free', 'Pro', 'Enterprise'])).status).toBeLessThan(300);
  expect((await api.get(`/contacts/${contact.body.id}`)).body.fields.plan).toBe('Gold');

  const draft = await api.post('/workflows', cleanup);
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const published = await api.post(`/workflows/${draft.body.id}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);

  expect((await api.post(`/contacts/${contact.body.id}/tags`, { tags: ['migrate'] })).status).toBeLessThan(300);
  await waitFor('the cleanup run', async () => ((await runsOf(server, draft.body.id))[0]?.status === 'completed' ? true : undefined));
  expect((await api.get(`/contacts/${contact.body.id}`)).body.fields.plan).toBe('Pro');
});
