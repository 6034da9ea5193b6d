import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { waitForRun } from '../../support/builders';
import { startTestServer, type Api, type TestServer } from '../../support/server';
import { createWorkflow, runsOf } from '../engine-support';

// Creating a contact with field values fires Contact Field Updated for each (from null), as
// creating one with tags fires Contact Tag Updated; and text values are stored without the spaces
// around them, whoever writes them (API, steps), so " Lyon " where "Lyon" is changes nothing.

let server: TestServer;
let admin: Api;
beforeEach(async () => {
  server = await startTestServer({ workers: false });
  admin = server.api(server.adminToken);
  for (const [key, type, options] of [['tier', 'list', ['gold', 'silver']], ['city', 'text', []], ['site', 'url', []]] as const) {
    expect((await admin.put(`/fields/${key}`, { label: key, type, options })).status).toBe(200);
  }
});
afterEach(async () => { await server.close(); });

const watch = (field: string) => createWorkflow(server, { name: `Watch ${field}`, trigger: { type: 'contact_field_updated', field }, steps: [] });
const triggers = async (workflowId: string) => (await runsOf(server, workflowId)).map((r) => r.variables.trigger as { oldValue: unknown; newValue: unknown });

describe('POST /contacts with fields', () => {
  it('fires Contact Field Updated for each field set, from null, as tags fire Contact Tag Updated', async () => {
    const [tier, city] = [await watch('tier'), await watch('city')];
    const hot = await createWorkflow(server, { name: 'Hot', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['hot'] }, steps: [] });
    const res = await admin.post('/contacts', { firstName: 'Ana', tags: ['hot'], fields: { tier: 'gold', city: 'Lyon' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const contact = Contact.parse(res.body);

    expect(await triggers(tier.id)).toEqual([expect.objectContaining({ field: 'tier', oldValue: null, newValue: 'gold' })]);
    expect(await triggers(city.id)).toEqual([expect.objectContaining({ field: 'city', oldValue: null, newValue: 'Lyon' })]);
    expect(await triggers(hot.id)).toHaveLength(1);
    const events = (await server.events('contact.field_updated')).filter((e) => e.contactId === contact.id);
    expect(events.map((e) => e.payload)).toEqual([
      { contactId: contact.id, field: 'tier', oldValue: null, newValue: 'gold', by: expect.any(String) },
      { contactId: contact.id, field: 'city', oldValue: null, newValue: 'Lyon', by: expect.any(String) },
    ]);
  });

  it('a field given as null sets nothing and fires nothing', async () => {
    const city = await watch('city');
    const res = await admin.post('/contacts', { firstName: 'Ana', fields: { city: null } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.fields).toEqual({});
    expect(await triggers(city.id)).toEqual([]);
  });
});

describe('field values are trimmed', () => {
  it('through the API: stored and fired without the spaces, and the same value again changes nothing', async () => {
    const city = await watch('city');
    const res = await admin.post('/contacts', { firstName: 'Ana', fields: { city: ' Lyon ', tier: ' gold ', site: ' https://example.com/a ' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.fields).toEqual({ city: 'Lyon', tier: 'gold', site: 'https://example.com/a' });
    const id = res.body.id as string;

    const same = await admin.patch(`/contacts/${id}`, { fields: { city: 'Lyon   ' } });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body.fields.city).toBe('Lyon');
    const moved = await admin.patch(`/contacts/${id}`, { fields: { city: '\tParis ' } });
    expect(moved.body.fields.city).toBe('Paris');
    expect((await admin.get(`/contacts/${id}`)).body.fields).toEqual({ city: 'Paris', tier: 'gold', site: 'https://example.com/a' });
    expect((await triggers(city.id)).map((t) => [t.oldValue, t.newValue])).toEqual([['Lyon', 'Paris'], [null, 'Lyon']]); // newest first
  });

  // Steps trimmed already (coerceFieldValue); kept so both writers stay alike.
  it('through a step: a value rendered with spaces is stored without them and fires once', async () => {
    const worker = await startTestServer();
    try {
      const api = worker.api(worker.adminToken);
      expect((await api.put('/fields/city', { label: 'City', type: 'text' })).status).toBe(200);
      const city = await createWorkflow(worker, { name: 'Watch city', trigger: { type: 'contact_field_updated', field: 'city' }, steps: [] });
      const set = await createWorkflow(worker, {
        name: 'Set city', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
        steps: [{ id: 'set', type: 'update_contact_field', config: { field: 'city', value: '  {{$contact.firstName}} ' } }],
      });
      const contact = Contact.parse((await api.post('/contacts', { firstName: 'Lyon' })).body);
      for (let i = 0; i < 2; i++) {
        await api.del(`/contacts/${contact.id}/tags/go`);
        expect((await api.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBe(200);
        const [run] = await runsOf(worker, set.id);
        expect((await waitForRun(worker.app.services.db, run!.id)).status).toBe('completed');
      }
      expect((await api.get(`/contacts/${contact.id}`)).body.fields.city).toBe('Lyon');
      expect((await runsOf(worker, city.id)).map((r) => r.variables.trigger as { oldValue: unknown; newValue: unknown }).map((t) => [t.oldValue, t.newValue])).toEqual([[null, 'Lyon']]);
    } finally {
      await worker.close();
    }
  });
});
