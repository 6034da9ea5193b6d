import { describe, expect, it } from 'vitest';
import { ContactImportResult, CONTACT_IMPORT_MAX_ROWS } from '../../lib/contracts/contact-import';
import { Contact, ContactList } from '../../lib/contracts/contacts';
import type { Scope } from '../../lib/contracts/scopes';
import { issueToken } from '../../server/auth/tokens';
import { waitForRun } from '../support/builders';
import { eachAdminServer } from '../support/each-server';
import type { Api, TestServer } from '../support/server';
import { createWorkflow, runsOf } from './engine-support';

/** Registered by contact-import.test.ts (SQLite) and contact-import.pg.test.ts (PostgreSQL): `databaseUrl` undefined means SQLite. */
export function contactImportSuite(databaseUrl: () => string | undefined) {
  // POST /contacts/import: a spreadsheet of contacts in one request, each row created, updated
  // (found by phone or email) or refused on its own, without greeting everyone by default.

  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  async function importRows(body: Record<string, unknown>, api = admin) {
    const res = await api.post('/contacts/import', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ContactImportResult.parse(res.body);
  }
  const contactBy = async (query: string) => ContactList.parse((await admin.get(`/contacts?${query}`)).body).contacts;
  const newContact = async (body: Record<string, unknown>) => {
    const res = await admin.post('/contacts', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Contact.parse(res.body);
  };
  const defineFields = async () => {
    for (const [key, type, options] of [['plan', 'list', ['Gold', 'Silver']], ['orders', 'number', []]] as const) {
      expect((await admin.put(`/fields/${key}`, { label: key, type, options })).status).toBe(200);
    }
  };

  it('creates new contacts, then updates them by phone or email and leaves the same values unchanged', async () => {
    await defineFields();
    const first = await importRows({ contacts: [
      { firstName: 'Ana', lastName: 'Diaz', phone: '+34 600 111 222', fields: { plan: 'Gold', orders: 3 } },
      { firstName: 'Ben', email: 'Ben@Example.com' },
    ] });
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0, failed: 0 });
    expect(first.results.map((r) => [r.index, r.status])).toEqual([[0, 'created'], [1, 'created']]);
    const [ana] = await contactBy('phone=%2B34600111222');
    expect(ana).toMatchObject({ id: first.results[0]!.contactId, firstName: 'Ana', lastName: 'Diaz', phone: '+34600111222', fields: { plan: 'Gold', orders: 3 } });

    // The same people again: a new value updates, the same values change nothing, a left-out key is kept.
    const again = await importRows({ contacts: [
      { phone: '0034600111222', fields: { orders: 4 } },
      { email: 'ben@example.com', firstName: 'Ben' },
      { firstName: 'Cleo', phone: '+44 20 7946 0958' },
    ] });
    expect(again).toMatchObject({ created: 1, updated: 1, unchanged: 1, failed: 0 });
    expect(again.results.map((r) => r.status)).toEqual(['updated', 'unchanged', 'created']);
    expect(again.results[0]!.contactId).toBe(ana!.id);
    expect(again.results[1]!.contactId).toBe(first.results[1]!.contactId);
    expect(Contact.parse((await admin.get(`/contacts/${ana!.id}`)).body)).toMatchObject({ firstName: 'Ana', lastName: 'Diaz', fields: { plan: 'Gold', orders: 4 } });
  });

  it.each([
    // [match, the row, what happens to Ana (phone +34600111222, email ana@example.com)]
    ['phone', { phone: '+34600111222', firstName: 'Anita' }, 'updated'],
    ['email', { email: 'ANA@example.com', firstName: 'Anita' }, 'updated'],
    ['phone_or_email', { email: 'ana@example.com', firstName: 'Anita' }, 'updated'],
    ['phone_or_email', { phone: '+34 600-111-222', email: 'ana@example.com', firstName: 'Anita' }, 'updated'],
    ['phone', { email: 'ana@example.com', firstName: 'Anita' }, /The email ana@example\.com belongs to another contact, Ana \(con_\w+\): match by email \(or phone_or_email\)/],
    ['email', { phone: '+34600111222', firstName: 'Anita' }, /The phone \+34600111222 belongs to another contact, Ana .*match by phone/],
  ] as const)('match %s: %j is %s', async (match, row, outcome) => {
    const ana = await newContact({ firstName: 'Ana', phone: '+34600111222', email: 'ana@example.com' });
    const result = await importRows({ match, contacts: [row] });
    const [only] = result.results;
    if (typeof outcome === 'string') {
      expect(only, JSON.stringify(only)).toMatchObject({ index: 0, status: outcome, contactId: ana.id });
      expect((await admin.get(`/contacts/${ana.id}`)).body.firstName).toBe('Anita');
    } else {
      expect(only).toMatchObject({ index: 0, status: 'error', contactId: null, message: expect.stringMatching(outcome) });
      expect((await admin.get(`/contacts/${ana.id}`)).body.firstName).toBe('Ana');
    }
    expect(ContactList.parse((await admin.get('/contacts')).body).contacts).toHaveLength(1);
  });

  it('answers each bad row with its index and what to fix, and saves the good rows around it', async () => {
    await defineFields();
    const ana = await newContact({ firstName: 'Ana', phone: '+34600111222' });
    const ben = await newContact({ firstName: 'Ben', email: 'ben@example.com' });
    const result = await importRows({ contacts: [
      { firstName: 'Good one', phone: '+14155550100' },
      { firstName: 'Bad phone', phone: '0151 1234 5678' },
      { firstName: 'Unknown field', fields: { shoe_size: 42 } },
      { firstName: 'Wrong type', fields: { orders: 'many', plan: 'Bronze' } },
      { first_name: 'Wrong key' },
      {},
      'not a contact',
      { phone: '+34600111222', email: 'ben@example.com' },
      { firstName: 'Good two', email: 'two@example.com', tags: ['new'] },
    ] });
    expect(result).toMatchObject({ created: 2, updated: 0, unchanged: 0, failed: 7 });
    const byIndex = (i: number) => result.results[i]!;
    expect(result.results.map((r) => r.status)).toEqual(['created', 'error', 'error', 'error', 'error', 'error', 'error', 'error', 'created']);
    expect(byIndex(1).message).toMatch(/^contacts\[1\]\.phone: Start with \+ and the country code/);
    expect(byIndex(1).details).toEqual([{ path: 'contacts.1.phone', message: expect.stringContaining('Start with +') }]);
    expect(byIndex(2).message).toBe('contacts[2].fields.shoe_size: Unknown field; define it under /fields first');
    expect(byIndex(3).details).toEqual([
      { path: 'contacts.3.fields.orders', message: 'Expected a number' },
      { path: 'contacts.3.fields.plan', message: 'Expected one of: Gold, Silver' },
    ]);
    expect(byIndex(4).message).toMatch(/^contacts\[4\]: Unknown key "first_name": a contact takes firstName, lastName/);
    expect(byIndex(5).message).toBe('contacts[5]: Give at least a name, a phone or an email (an empty row is no contact)');
    expect(byIndex(6).message).toBe('contacts[6]: Expected an object, got a string');
    expect(byIndex(7).message).toMatch(/^contacts\[7\]: The phone is Ana \(con_\w+\)'s and the email Ben \(con_\w+\)'s: merge the two contacts first/);
    // Nothing of the bad rows was saved; the two good ones were.
    const all = ContactList.parse((await admin.get('/contacts')).body).contacts;
    expect(all.map((c) => c.firstName).sort()).toEqual(['Ana', 'Ben', 'Good one', 'Good two']);
    expect(all.find((c) => c.id === ana.id)).toMatchObject({ email: null });
    expect(all.find((c) => c.id === ben.id)).toMatchObject({ phone: null });
  });

  it('a row the database itself refuses (text with a NUL) is undone alone, its events with it', async () => {
    const result = await importRows({ contacts: [
      { firstName: 'Before', phone: '+14155550100', tags: ['a'] },
      { firstName: 'Nul\u0000', phone: '+14155550101', tags: ['b'] },
      { firstName: 'After', phone: '+14155550102', tags: ['c'] },
    ] });
    expect(result.results.map((r) => r.status)).toEqual(['created', 'error', 'created']);
    expect(result.results[1]).toMatchObject({
      message: 'contacts[1].firstName: Text may not contain NUL (\\u0000) characters',
      details: [{ path: 'contacts.1.firstName', message: 'Text may not contain NUL (\\u0000) characters' }],
    });
    expect(ContactList.parse((await admin.get('/contacts')).body).contacts.map((c) => c.firstName)).toEqual(['Before', 'After']);
    expect((await server.events('contact.tag_added')).map((e) => e.payload.tag)).toEqual(['a', 'c']);
  });

  it('adds tags in any case, and the same person twice in a file is one contact', async () => {
    const ana = await newContact({ firstName: 'Ana', phone: '+34600111222', tags: ['VIP'] });
    const result = await importRows({ contacts: [
      { phone: '+34600111222', tags: ['vip', 'Lead', 'LEAD'] },
      { phone: '+34600111222', tags: ['lead'], lastName: 'Diaz' },
      { phone: '+34600111222', tags: ['VIP'] },
      { firstName: 'Dup', email: 'dup@example.com', tags: ['a'] },
      { email: 'DUP@example.com', tags: ['b'] },
    ] });
    expect(result.results.map((r) => r.status)).toEqual(['updated', 'updated', 'unchanged', 'created', 'updated']);
    expect(Contact.parse((await admin.get(`/contacts/${ana.id}`)).body)).toMatchObject({ tags: ['VIP', 'Lead'], lastName: 'Diaz' });
    expect(result.results[4]!.contactId).toBe(result.results[3]!.contactId);
    expect((await admin.get(`/contacts/${result.results[3]!.contactId}`)).body.tags).toEqual(['a', 'b']);
  });

  it('refuses more rows than a request takes (422) and a body over its limit (413), saying to send parts', async () => {
    const tooMany = await admin.post('/contacts/import', { contacts: Array.from({ length: CONTACT_IMPORT_MAX_ROWS + 1 }, (_, i) => ({ firstName: `P${i}` })) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.message).toContain('At most 5,000 contacts per request: send a larger file in parts');
    const huge = await admin.post('/contacts/import', { contacts: [{ firstName: 'x', fields: { note: 'y'.repeat(17 * 1024 * 1024) } }] });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toBe('The body is larger than the limit of 16 MiB: send at most 5,000 contacts per request, a larger file in parts');
    expect(ContactList.parse((await admin.get('/contacts')).body).contacts).toEqual([]);
  });

  it('is for admins and supervisors: an agent is refused (403)', async () => {
    const agent = await server.createUser('agent');
    const refused = await server.api(agent.token).post('/contacts/import', { contacts: [{ firstName: 'Nope' }] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('This needs the supervisor role; you are an agent');
    const supervisor = await server.createUser('supervisor');
    expect(await importRows({ contacts: [{ firstName: 'Yes' }] }, server.api(supervisor.token))).toMatchObject({ created: 1 });
    expect(ContactList.parse((await admin.get('/contacts')).body).contacts.map((c) => c.firstName)).toEqual(['Yes']);
  });

  it('app keys need contacts.write and contacts.read: the answer says which contacts exist', async () => {
    const appId = (await admin.post('/apps', { key: 'importer', name: 'Importer', scopes: [] })).body.app.id as string;
    const installed = await admin.post(`/apps/${appId}/install`, { authValues: {} });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    const key = async (scopes: Scope[]) => server.api((await issueToken(server.store.db, { kind: 'app', installationId: installed.body.id, scopes })).token);
    const body = { contacts: [{ firstName: 'From an app', email: 'app@example.com' }] };
    const writeOnly = await (await key(['contacts.write'])).post('/contacts/import', body);
    expect(writeOnly.status).toBe(403);
    expect(writeOnly.body.error.message).toMatch(/needs the contacts\.read scope as well as contacts\.write/);
    expect((await (await key(['contacts.read'])).post('/contacts/import', body)).body.error.message).toBe('This API key lacks the contacts.write scope');
    expect(await importRows(body, await key(['contacts.read', 'contacts.write']))).toMatchObject({ created: 1 });
    expect((await server.events('contact.created')).map((e) => e.source)).toEqual(['api']);
  });

  it('starts no workflow by default, recording why; with fireTriggers the tag and field triggers fire as for an API update', async () => {
    await defineFields();
    const onTag = await createWorkflow(server, { name: 'Welcome VIPs', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [] });
    const onField = await createWorkflow(server, { name: 'Plan changed', trigger: { type: 'contact_field_updated', field: 'plan' }, steps: [] });
    const quiet = await importRows({ contacts: [{ firstName: 'Ana', phone: '+34600111222', tags: ['VIP'], fields: { plan: 'Gold' } }] });
    expect(quiet.results[0]).toMatchObject({ status: 'created' });
    const anaId = quiet.results[0]!.contactId!;
    expect((await admin.get(`/contacts/${anaId}`)).body.tags).toEqual(['VIP']);
    expect(await runsOf(server, onTag.id)).toEqual([]);
    expect(await runsOf(server, onField.id)).toEqual([]);
    // Recorded all the same, each saying why nothing ran and what would have.
    const tagAdded = await server.store.db.selectFrom('events').select(['note', 'payload']).where('type', '=', 'contact.tag_added').where('contact_id', '=', anaId).execute();
    expect(tagAdded).toEqual([{ payload: expect.stringContaining('"VIP"'), note: `imported: a contact import without "Run workflows", so no trigger fires; not started: ${onTag.id}` }]);

    const loud = await importRows({ fireTriggers: true, contacts: [
      { phone: '+34600111222', fields: { plan: 'Silver' } },
      { firstName: 'Ben', email: 'ben@example.com', tags: ['vip'] },
    ] });
    expect(loud.results.map((r) => r.status)).toEqual(['updated', 'created']);
    const [tagRun] = await runsOf(server, onTag.id);
    expect(tagRun).toMatchObject({ contactId: loud.results[1]!.contactId });
    expect((await waitForRun(server.app.services.db, tagRun!.id)).variables.trigger).toMatchObject({ tag: 'vip', action: 'added' });
    const fieldRuns = await runsOf(server, onField.id);
    expect(fieldRuns.map((r) => [r.contactId, r.variables.trigger])).toEqual([[anaId, expect.objectContaining({ oldValue: 'Gold', newValue: 'Silver' })]]);
  });
}
