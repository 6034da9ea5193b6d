import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { Contact, ContactList } from '../../lib/contracts/contacts';
import { eachAdminServer } from '../support/each-server';
import type { Api, TestServer } from '../support/server';

/**
 * Registered by contact-field-filter.test.ts (SQLite) and .pg.test.ts (PostgreSQL): GET /contacts
 * finds contacts by a custom field's exact value (`?field=order_id&value=order-12345`, Chatwoot's
 * filter on a custom attribute, respond.io's on a contact field) from an index, follows every
 * change of the value, refuses what it cannot read with a 422 naming the parameter, and says how
 * many contacts match (`total`, as GET /conversations does; with q, only when the first page holds
 * them all: a substring has no index, and the count would read every contact again).
 */
export function contactFieldFilterSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });
  const ids: Record<string, string> = {};

  const make = async (name: string, body: Record<string, unknown> = {}) => {
    const res = await admin.post('/contacts', { firstName: name, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[name] = Contact.parse(res.body).id;
  };
  /** The names a query finds, and its total. */
  async function found(query: string) {
    const res = await admin.get(`/contacts?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = ContactList.parse(res.body);
    return { names: page.contacts.map((c) => c.firstName), total: page.total, nextCursor: page.nextCursor };
  }
  const names = async (query: string) => (await found(query)).names;

  beforeEach(async () => {
    for (const [key, label, type, options] of [
      ['order_id', 'Order ID', 'text', []], ['plan', 'Plan', 'list', ['Gold', 'Silver']], ['orders', 'Orders', 'number', []],
      ['vip', 'VIP', 'checkbox', []], ['mobile', 'Mobile', 'phone', []], ['notes', 'Notes', 'text', []],
    ] as const) {
      expect((await admin.put(`/fields/${key}`, { label, type, options })).status).toBe(200);
    }
    await make('Ana', { email: 'ana@example.com', fields: { order_id: 'order-12345', plan: 'Gold', orders: 3, vip: true, mobile: '+34600111222' } });
    await make('Bea', { fields: { order_id: 'order-777', plan: 'Gold', orders: 30, vip: false } });
    await make('Cy');
    await make('Dee', { fields: { order_id: 'ORDER-12345', plan: 'Silver', orders: 3.5 } });
  });

  describe('?field=&value=', () => {
    it('finds the contact whose field holds the value, exactly: not another case, not a part, not a search by q', async () => {
      expect(await found('field=order_id&value=order-12345')).toEqual({ names: ['Ana'], total: 1, nextCursor: null });
      expect(await names('field=order_id&value=ORDER-12345')).toEqual(['Dee']);
      expect(await names('field=order_id&value=order-123')).toEqual([]);
      expect(await names(`field=order_id&value=${encodeURIComponent(' order-12345 ')}`)).toEqual(['Ana']);
      // q is still the name, phone and email search.
      expect(await names('q=order-12345')).toEqual([]);
    });

    it('reads the value as the field stores it: a list option in any case, a number, a checkbox, a phone as written', async () => {
      expect(await found('field=plan&value=gold')).toMatchObject({ names: ['Ana', 'Bea'], total: 2 });
      expect(await names('field=orders&value=3')).toEqual(['Ana']);
      expect(await names('field=orders&value=3.50')).toEqual(['Dee']);
      expect(await names('field=orders&value=30')).toEqual(['Bea']);
      expect(await names('field=vip&value=yes')).toEqual(['Ana']);
      expect(await names('field=vip&value=false')).toEqual(['Bea']);
      expect(await names(`field=mobile&value=${encodeURIComponent('+34 600 111 222')}`)).toEqual(['Ana']);
    });

    it('pages by cursor with the total of every match, and combines with q, email and phone', async () => {
      const first = await found('field=plan&value=Gold&limit=1');
      expect(first).toMatchObject({ names: ['Ana'], total: 2 });
      expect(first.nextCursor).toBe(ids.Ana);
      expect(await found(`field=plan&value=Gold&limit=1&cursor=${first.nextCursor}`)).toEqual({ names: ['Bea'], total: 2, nextCursor: null });
      expect(await found('field=plan&value=Gold&q=be')).toMatchObject({ names: ['Bea'], total: 1 });
      expect(await names('field=plan&value=Gold&email=ana@example.com')).toEqual(['Ana']);
      expect(await names('field=plan&value=Silver&email=ana@example.com')).toEqual([]);
    });

    it('follows every change: PATCH, a cleared value, an import, a merge, a deletion, a field deleted', async () => {
      expect((await admin.patch(`/contacts/${ids.Ana}`, { fields: { order_id: 'order-99' } })).status).toBe(200);
      expect(await names('field=order_id&value=order-12345')).toEqual([]);
      expect(await names('field=order_id&value=order-99')).toEqual(['Ana']);
      // Other fields of the contact keep their values.
      expect(await names('field=plan&value=Gold')).toEqual(['Ana', 'Bea']);
      expect((await admin.patch(`/contacts/${ids.Ana}`, { fields: { order_id: null } })).status).toBe(200);
      expect(await names('field=order_id&value=order-99')).toEqual([]);

      const imported = await admin.post('/contacts/import', { contacts: [{ firstName: 'Eve', fields: { order_id: 'order-5' } }, { email: 'ana@example.com', fields: { order_id: 'order-6' } }] });
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      expect(await names('field=order_id&value=order-5')).toEqual(['Eve']);
      expect(await names('field=order_id&value=order-6')).toEqual(['Ana']);

      // Cy has no order id: merged into him, Bea's value is his.
      expect((await admin.post(`/contacts/${ids.Cy}/merge`, { mergeContactId: ids.Bea })).status).toBe(200);
      expect(await names('field=order_id&value=order-777')).toEqual(['Cy']);
      expect((await admin.del(`/contacts/${ids.Cy}`)).status).toBe(204);
      expect(await found('field=order_id&value=order-777')).toEqual({ names: [], total: 0, nextCursor: null });

      expect((await admin.del('/fields/orders')).status).toBe(204);
      expect((await admin.put('/fields/orders', { label: 'Orders', type: 'number' })).status).toBe(200);
      expect(await names('field=orders&value=3')).toEqual([]);
    });

    it('finds a long text value (10,000 characters)', async () => {
      const long = 'x'.repeat(9_990) + 'end-12345';
      expect((await admin.patch(`/contacts/${ids.Cy}`, { fields: { notes: long } })).status).toBe(200);
      expect(await names(`field=notes&value=${long}`)).toEqual(['Cy']);
      expect(await names(`field=notes&value=${long.slice(1)}`)).toEqual([]);
    });

    it.each([
      ['field=order_no&value=1', 'querystring.field', /There is no custom field "order_no"/],
      ['field=orders&value=many', 'querystring.value', /"many" is not a number/],
      ['field=plan&value=Bronze', 'querystring.value', /Expected one of: Gold, Silver/],
      ['field=vip&value=maybe', 'querystring.value', /"maybe" is not true or false/],
      ['field=order_id', 'querystring.value', /field and value go together/],
      ['value=order-12345', 'querystring.field', /field and value go together/],
      ['field=order_id&value=', 'querystring.value', /value is empty/],
      ['field=orders&value=1,250', 'querystring.value', /"orders" is a number field: "1,250" could be 1250 or 1.25/],
    ])('?%s is a 422 naming %s', async (query, path, message) => {
      const res = await admin.get(`/contacts?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    });

    it('costs contact writes nothing: no index or trigger on the fields, so run rounds do not pay for the filter', async () => {
      const { db, dialect } = server.app.services.store;
      if (dialect === 'sqlite') {
        const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contacts'`.execute(db);
        expect(rows).toEqual([]);
      } else {
        const { rows } = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE tablename = 'contacts' AND indexdef ILIKE '%fields%'`.execute(db);
        expect(rows).toEqual([]);
      }
    });
  });

  describe('total', () => {
    it('counts every contact the filters match, whatever the page and the cursor; a text search (q) only when its first page holds them all', async () => {
      expect(await found('')).toMatchObject({ total: 4 });
      const first = await found('limit=3');
      expect(first).toMatchObject({ names: ['Ana', 'Bea', 'Cy'], total: 4 });
      expect(await found(`limit=3&cursor=${first.nextCursor}`)).toEqual({ names: ['Dee'], total: 4, nextCursor: null });
      // q is not counted past its first page (a substring reads every contact); a page that holds every match is its count.
      expect(await found('q=a&limit=1')).toEqual({ names: ['Ana'], total: null, nextCursor: ids.Ana });
      expect(await found(`q=a&limit=1&cursor=${ids.Ana}`)).toEqual({ names: ['Bea'], total: null, nextCursor: null });
      expect(await found('q=a')).toEqual({ names: ['Ana', 'Bea'], total: 2, nextCursor: null });
      expect(await found('field=plan&value=Gold&limit=1&q=a')).toMatchObject({ names: ['Ana'], total: null });
      expect(await found('q=zzz')).toEqual({ names: [], total: 0, nextCursor: null });
      expect(await found('email=ANA@example.com')).toMatchObject({ names: ['Ana'], total: 1 });
      expect(await found(`phone=${encodeURIComponent('+34 600 111 000')}`)).toMatchObject({ names: [], total: 0 });
    });

    it('is documented with the filters in /docs/json', async () => {
      const doc = (await server.request('GET', '/docs/json')).body;
      const list = doc.paths['/api/v1/contacts'].get;
      const params = Object.fromEntries(list.parameters.map((p: { name: string; description?: string }) => [p.name, p.description ?? '']));
      expect(Object.keys(params)).toEqual(expect.arrayContaining(['field', 'value', 'q', 'limit', 'cursor']));
      expect(params.field).toMatch(/custom field/);
      expect(list.responses['200'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['contacts', 'nextCursor', 'total']));
      expect(list.description).toMatch(/field=order_id&value=order-12345/);
    });
  });
}
