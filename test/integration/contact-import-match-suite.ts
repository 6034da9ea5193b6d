import { expect, it } from 'vitest';
import { ContactImportResult } from '../../lib/contracts/contact-import';
import { Contact, ContactList } from '../../lib/contracts/contacts';
import { eachAdminServer } from '../support/each-server';
import type { Api, TestServer } from '../support/server';

/**
 * Registered by contact-import.test.ts (SQLite) and contact-import.pg.test.ts (PostgreSQL): rows
 * found by another system's id kept in a custom field (`match: { field }`), so a file imported
 * twice does not create its people without phone or email twice.
 */
export function contactImportMatchSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  async function importRows(body: Record<string, unknown>) {
    const res = await admin.post('/contacts/import', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ContactImportResult.parse(res.body);
  }
  const all = async () => ContactList.parse((await admin.get('/contacts?limit=200')).body).contacts;
  const newContact = async (body: Record<string, unknown>) => {
    const res = await admin.post('/contacts', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Contact.parse(res.body);
  };
  async function defineId() {
    expect((await admin.put('/fields/customer_id', { label: 'Customer ID', type: 'text' })).status).toBe(200);
    expect((await admin.put('/fields/orders', { label: 'Orders', type: 'number' })).status).toBe(200);
  }
  const file = [
    { firstName: 'Élodie', fields: { customer_id: 'C-1' } },
    { firstName: 'Zoë', fields: { customer_id: 'C-2', orders: 1 } },
    { firstName: 'Ana', phone: '+34600111222', fields: { customer_id: 'C-3' } },
  ];

  it('match { field }: the same file twice is the same contacts, updated where it changed (by phone or email, those without either came twice)', async () => {
    await defineId();
    await importRows({ contacts: file });
    expect((await importRows({ contacts: file })).results.map((r) => r.status)).toEqual(['created', 'created', 'unchanged']);
    expect((await all()).map((c) => c.firstName).sort()).toEqual(['Ana', 'Zoë', 'Zoë', 'Élodie', 'Élodie']);
    for (const c of await all()) expect((await admin.del(`/contacts/${c.id}`)).status).toBe(204);

    const first = await importRows({ match: { field: 'customer_id' }, contacts: file });
    expect(first.results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
    const again = await importRows({ match: { field: 'customer_id' }, contacts: [file[0], { ...file[1], fields: { customer_id: 'C-2', orders: 2 } }, file[2]] });
    expect(again.results.map((r) => [r.status, r.contactId])).toEqual([
      ['unchanged', first.results[0]!.contactId], ['updated', first.results[1]!.contactId], ['unchanged', first.results[2]!.contactId],
    ]);
    expect((await all()).map((c) => c.firstName).sort()).toEqual(['Ana', 'Zoë', 'Élodie']);
  });

  it('a key no contact has finds the contact by phone or email (who wrote on WhatsApp before) and gives it the key; one with another key is a row to fix', async () => {
    await defineId();
    const whatsapp = await newContact({ firstName: 'Ana', phone: '+34600111222' });
    const keyed = await newContact({ firstName: 'Ben', email: 'ben@example.com', fields: { customer_id: 'C-9' } });
    const result = await importRows({ match: { field: 'customer_id' }, contacts: [
      { firstName: 'Ana', lastName: 'Diaz', phone: '+34 600 111 222', fields: { customer_id: 'C-3' } },
      { firstName: 'Ben', email: 'ben@example.com', fields: { customer_id: 'C-4' } },
      { firstName: 'Benjamin', email: 'ben@example.com', fields: { customer_id: 'C-9' } },
      { firstName: 'Cleo', phone: '+34600111222', fields: { customer_id: 'C-9' } },
    ] });
    expect(result.results.map((r) => r.status)).toEqual(['updated', 'error', 'updated', 'error']);
    expect(result.results[0]!.contactId).toBe(whatsapp.id);
    expect((await admin.get(`/contacts/${whatsapp.id}`)).body).toMatchObject({ lastName: 'Diaz', fields: { customer_id: 'C-3' } });
    expect(result.results[1]!.message).toBe(`contacts[1]: The email belongs to Ben (${keyed.id}), whose customer_id is "C-9", not "C-4": fix the row or that contact`);
    expect(result.results[2]!.contactId).toBe(keyed.id);
    expect(result.results[3]!.message).toBe(`contacts[3]: The phone +34600111222 belongs to another contact, Ana Diaz (${whatsapp.id}): this row updates Benjamin (${keyed.id}); merge the two contacts first, or fix the row`);
  });

  it('two contacts holding one key are a row to fix; a key the file gives twice is one contact, across parts of the request', async () => {
    await defineId();
    const a = await newContact({ firstName: 'Twin A', fields: { customer_id: 'C-7' } });
    const b = await newContact({ firstName: 'Twin B', fields: { customer_id: 'C-7' } });
    const rows = Array.from({ length: 600 }, (_, i) => ({ firstName: `P${i}`, fields: { customer_id: `K-${i % 300}` } }));
    const result = await importRows({ match: { field: 'customer_id' }, contacts: [{ firstName: 'Twin', fields: { customer_id: 'C-7' } }, ...rows] });
    expect(result.results[0]!.message).toBe(`contacts[0]: 2 contacts have customer_id "C-7": Twin A (${a.id}), Twin B (${b.id}); merge them first`);
    expect(result).toMatchObject({ created: 300, updated: 300, failed: 1 });
    expect(result.results[301]!.contactId).toBe(result.results[1]!.contactId);
  });

  it('one file imported by field several times at once (two tabs, a retried part) makes one contact per key', async () => {
    await defineId();
    // Three transactions' worth of rows: the imports take turns between them, not only at their start.
    const rows = Array.from({ length: 600 }, (_, i) => ({ firstName: `P${i}`, fields: { customer_id: `K-${i}` } }));
    const answers = await Promise.all(Array.from({ length: 4 }, () => importRows({ match: { field: 'customer_id' }, contacts: rows })));
    expect(answers.reduce((n, a) => n + a.created, 0)).toBe(600);
    expect(answers.reduce((n, a) => n + a.failed, 0)).toBe(0);
    rows.forEach((_, i) => expect(new Set(answers.map((a) => a.results[i]!.contactId)).size, `row ${i}`).toBe(1));
    const keys: string[] = [];
    for (let cursor = ''; ;) {
      const page = ContactList.parse((await admin.get(`/contacts?limit=200${cursor && `&cursor=${cursor}`}`)).body);
      keys.push(...page.contacts.map((c) => String(c.fields.customer_id)));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(keys).toHaveLength(600);
    expect(new Set(keys).size).toBe(600);
  });

  it('reads the keys of a request in one statement, whatever its size (no lookup per row)', async () => {
    await defineId();
    const counters = server.store.counters!;
    const cost = async (match: unknown, n: number, offset: number) => {
      const rows = Array.from({ length: n }, (_, i) => ({ firstName: `P${i}`, phone: `+1415555${String(offset + i).padStart(4, '0')}`, fields: { customer_id: `K-${offset + i}` } }));
      const before = counters.statements;
      expect((await importRows({ match, contacts: rows })).created).toBe(n);
      return counters.statements - before;
    };
    const byPhone = await cost('phone', 600, 0);
    const byField = await cost({ field: 'customer_id' }, 600, 1000);
    // The keys' one statement, and the turn each of the 3 transactions of 250 rows takes (imports by one field take turns).
    expect(byField - byPhone).toBeLessThanOrEqual(2 + 3);
  });

  it('refuses a match field that is unknown or not text (422), naming it', async () => {
    await defineId();
    for (const [field, message] of [
      ['nope', 'There is no custom field "nope"; define it under /fields first, as a text field'],
      ['orders', 'The custom field "orders" is a number field: contacts are found by a text field (an id is text even when it is digits)'],
    ]) {
      const res = await admin.post('/contacts/import', { match: { field }, contacts: file });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toBe(message);
      // Named where the other body errors are (body.…), so a client can put it next to the input.
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.match.field']);
    }
    const bad = await admin.post('/contacts/import', { match: 'id', contacts: file });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('Use "phone", "email", "phone_or_email" or { "field": "<key of a custom text field>" }');
    expect(await all()).toEqual([]);
  });
}
