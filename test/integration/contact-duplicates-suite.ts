import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// A phone or email another contact has is a 409 that names the field and that contact's id, so
// a client (respond.io- or HubSpot-style upsert) updates it instead of guessing which one it was.

export function contactDuplicatesSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let ana: string;
  let bea: string;
  beforeAll(async () => {
    server = await startTestServer({ workers: false, databaseUrl: databaseUrl() });
    const admin = server.api(server.adminToken);
    ana = (await admin.post('/contacts', { firstName: 'Ana', phone: '+34600111444', email: 'ana@example.com' })).body.id;
    bea = (await admin.post('/contacts', { firstName: 'Bea', phone: '+34600111555', email: 'bea@example.com' })).body.id;
    expect(ana).toMatch(/^con_/);
    expect(bea).toMatch(/^con_/);
  });
  afterAll(async () => { await server?.close(); });

  const api = () => server.api(server.adminToken);
  const holds = (key: 'phone' | 'email', id: string) => ({ path: `body.${key}`, contactId: id, message: `Contact ${id} has this ${key}: update that contact (PATCH /contacts/${id}) instead` });

  describe('a duplicate phone or email names the contact that has it', () => {
    it('POST /contacts with Ana\'s phone', async () => {
      const res = await api().post('/contacts', { firstName: 'Other', phone: '+34 600 111 444' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(res.body.error.message).toBe('A contact with phone +34600111444 already exists');
      expect(res.body.error.details).toEqual([holds('phone', ana)]);
    });

    it('POST /contacts with Ana\'s phone and Bea\'s email: both, each with its contact', async () => {
      const res = await api().post('/contacts', { firstName: 'Other', phone: '+34600111444', email: 'BEA@example.com' });
      expect(res.status).toBe(409);
      expect(res.body.error.details).toEqual([holds('phone', ana), holds('email', bea)]);
    });

    it('PATCH Ana with Bea\'s email; her own phone is no conflict', async () => {
      const res = await api().patch(`/contacts/${ana}`, { phone: '+34600111444', email: 'bea@example.com' });
      expect(res.status).toBe(409);
      expect(res.body.error.details).toEqual([holds('email', bea)]);
      expect((await api().get(`/contacts/${ana}`)).body.email).toBe('ana@example.com');
    });

    it('the id given is the one to update', async () => {
      const res = await api().post('/contacts', { firstName: 'Bea', lastName: 'Again', email: 'bea@example.com' });
      const patched = await api().patch(`/contacts/${res.body.error.details[0].contactId}`, { lastName: 'Again' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: bea, lastName: 'Again' });
    });

    it('/docs/json documents the field on the error and the 409', async () => {
      const doc = (await server.request('GET', '/docs/json')).body;
      expect(doc.components.schemas.Error.properties.error.properties.details.items.properties.contactId.type).toBe('string');
      expect(doc.paths['/api/v1/contacts'].post.responses['409'].description).toContain('contactId');
    });
  });
}
