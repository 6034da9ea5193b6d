import { expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { eachAdminServer } from '../support/each-server';
import type { Api, TestServer } from '../support/server';
import { createWorkflow, runsOf } from './engine-support';

/**
 * POST /contacts takes `lifecycle`, as respond.io's and Chatwoot's create take a stage: checked
 * as PATCH checks it (a stage from settings), and fired as PATCH fires it (Contact Field Updated,
 * field lifecycle, from nothing). Registered by contact-create-lifecycle.test.ts (SQLite) and
 * .pg.test.ts (PostgreSQL: the refused stage must leave nothing behind in the transaction).
 */
export function contactCreateLifecycleSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; }, { workers: false });

  const stages = async () => expect((await admin.put('/settings/lifecycle-stages', { stages: ['New lead', 'Customer'] })).status).toBe(200);
  const watchLifecycle = () => createWorkflow(server, { name: 'Stage changed', trigger: { type: 'contact_field_updated', field: 'lifecycle' }, steps: [] });
  const fired = async (workflowId: string) => (await runsOf(server, workflowId)).map((r) => r.variables.trigger as Record<string, unknown>);
  const contactCount = async () => (await admin.get('/contacts')).body.contacts.length as number;

  it('creates the contact in the stage and fires Contact Field Updated (lifecycle) as PATCH does', async () => {
    await stages();
    const watcher = await watchLifecycle();
    const res = await admin.post('/contacts', { firstName: 'Ana', lifecycle: ' Customer ' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const ana = Contact.parse(res.body);
    expect(ana.lifecycle).toBe('Customer');
    expect((await admin.get(`/contacts/${ana.id}`)).body.lifecycle).toBe('Customer');

    const bob = Contact.parse((await admin.post('/contacts', { firstName: 'Bob' })).body);
    expect((await admin.patch(`/contacts/${bob.id}`, { lifecycle: 'Customer' })).status).toBe(200);
    const [byPatch, byCreate] = await fired(watcher.id); // newest first
    expect(byCreate).toMatchObject({ field: 'lifecycle', oldValue: null, newValue: 'Customer' });
    // The same variables either way: a workflow cannot tell a stage given at creation from one set after.
    expect(Object.keys(byCreate!).sort()).toEqual(Object.keys(byPatch!).sort());
    expect({ ...byCreate, contactId: undefined }).toEqual({ ...byPatch, contactId: undefined });
    const events = (await server.events('contact.field_updated')).filter((e) => e.contactId === ana.id);
    expect(events.map((e) => e.payload)).toEqual([{ contactId: ana.id, field: 'lifecycle', oldValue: null, newValue: 'Customer', by: expect.any(String) }]);
  });

  it('refuses a stage that does not exist with PATCH\'s words, and creates nothing', async () => {
    await stages();
    const watcher = await watchLifecycle();
    const bob = Contact.parse((await admin.post('/contacts', { firstName: 'Bob' })).body);
    const patched = await admin.patch(`/contacts/${bob.id}`, { lifecycle: 'Churned' });
    const created = await admin.post('/contacts', { firstName: 'Ana', email: 'ana@example.com', lifecycle: 'Churned' });
    expect(created.status, JSON.stringify(created.body)).toBe(422);
    expect(created.body.error).toEqual(patched.body.error);
    expect(created.body.error).toMatchObject({
      message: 'Unknown lifecycle stage "Churned"; use one of: New lead, Customer',
      details: [{ path: 'body.lifecycle', message: 'Unknown lifecycle stage' }],
    });
    expect(await contactCount()).toBe(1);
    expect(await fired(watcher.id)).toEqual([]);
    // The email was not taken by the refused contact.
    expect((await admin.post('/contacts', { firstName: 'Ana', email: 'ana@example.com', lifecycle: 'New lead' })).status).toBe(201);
  });

  it('says so when no stages are defined yet', async () => {
    const res = await admin.post('/contacts', { firstName: 'Ana', lifecycle: 'Customer' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('There are no lifecycle stages yet; define them under Settings → Lifecycle stages first');
    expect(await contactCount()).toBe(0);
  });

  it('null or none: no stage, nothing fired; an empty stage is refused as PATCH refuses it', async () => {
    await stages();
    const watcher = await watchLifecycle();
    for (const body of [{ firstName: 'Ana', lifecycle: null }, { firstName: 'Eve' }]) {
      const res = await admin.post('/contacts', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.lifecycle).toBeNull();
    }
    expect(await fired(watcher.id)).toEqual([]);
    const empty = await admin.post('/contacts', { firstName: 'Ann', lifecycle: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details).toEqual([expect.objectContaining({ path: 'body.lifecycle' })]);
  });
}
