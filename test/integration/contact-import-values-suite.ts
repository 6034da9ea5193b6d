import { expect, it } from 'vitest';
import { ContactImportResult } from '../../lib/contracts/contact-import';
import { Contact, ContactList } from '../../lib/contracts/contacts';
import { eachAdminServer } from '../support/each-server';
import type { Api, TestServer } from '../support/server';

/**
 * Registered by contact-import.test.ts (SQLite) and contact-import.pg.test.ts (PostgreSQL): what
 * an export from another tool holds (values that do not fit a field, lifecycle stages, national
 * phone numbers), over POST /contacts/import.
 */
export function contactImportValuesSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  async function importRows(body: Record<string, unknown>) {
    const res = await admin.post('/contacts/import', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ContactImportResult.parse(res.body);
  }
  const contact = async (id: string | null) => Contact.parse((await admin.get(`/contacts/${id}`)).body);
  async function define() {
    for (const [key, type, options] of [['signup', 'date', []], ['website', 'url', []], ['language', 'list', ['English', 'Deutsch']], ['orders', 'number', []]] as const) {
      expect((await admin.put(`/fields/${key}`, { label: key, type, options })).status).toBe(200);
    }
    expect((await admin.put('/settings/lifecycle-stages', { stages: ['Lead', 'Customer'] })).status).toBe(200);
  }
  const row = { firstName: 'José', phone: '+4915110000000', lifecycle: 'Prospect', fields: { signup: '15/03/2024', website: 'acme.io', language: 'German', orders: 3 } };

  it('refuses a row whose values do not fit, listing every problem at once, phone included (the API stays strict by default)', async () => {
    await define();
    const result = await importRows({ contacts: [{ ...row, phone: '0151 10000000' }, row] });
    expect(result).toMatchObject({ created: 0, failed: 2 });
    expect(result.results[0]!.details).toEqual([
      { path: 'contacts.0.phone', message: expect.stringMatching(/^Start with \+ and the country code/) },
      { path: 'contacts.0.fields.signup', message: 'Expected a date YYYY-MM-DD' },
      { path: 'contacts.0.fields.website', message: 'Expected an http(s) URL' },
      { path: 'contacts.0.fields.language', message: 'Expected one of: English, Deutsch' },
      { path: 'contacts.0.lifecycle', message: 'Unknown lifecycle stage "Prospect"; use one of: Lead, Customer' },
    ]);
    expect(result.results[0]!.skipped).toBeUndefined();
    expect(result.results[1]!.message).toBe('contacts[1].fields.signup: Expected a date YYYY-MM-DD; contacts[1].fields.website: Expected an http(s) URL; '
      + 'contacts[1].fields.language: Expected one of: English, Deutsch; contacts[1].lifecycle: Unknown lifecycle stage "Prospect"; use one of: Lead, Customer');
    expect(ContactList.parse((await admin.get('/contacts')).body).contacts).toEqual([]);
  });

  it('onInvalidField "skip": saves the contact without the values that do not fit and says which and why', async () => {
    await define();
    const result = await importRows({ onInvalidField: 'skip', contacts: [
      row,
      { ...row, phone: '+4915110000001', lifecycle: 'customer', fields: { signup: '2024-03-15', website: 'https://acme.io', language: 'Deutsch', orders: 'many' } },
      // Still refused: a field nobody defined (a column sent to the wrong place) and a phone (it finds the contact).
      { firstName: 'Typo', fields: { signup_date: '2024-03-15' } },
      { firstName: 'No plus', phone: '0151 10000002', fields: { language: 'German' } },
    ] });
    expect(result.results.map((r) => r.status)).toEqual(['created', 'created', 'error', 'error']);
    expect(result.results[0]!.skipped).toEqual([
      { field: 'signup', message: 'Expected a date YYYY-MM-DD' },
      { field: 'website', message: 'Expected an http(s) URL' },
      { field: 'language', message: 'Expected one of: English, Deutsch' },
      { field: 'lifecycle', message: 'Unknown lifecycle stage "Prospect"; use one of: Lead, Customer' },
    ]);
    expect(await contact(result.results[0]!.contactId)).toMatchObject({ firstName: 'José', fields: { orders: 3 }, lifecycle: null });
    // A stage in any case is the one in settings.
    expect(result.results[1]!.skipped).toEqual([{ field: 'orders', message: 'Expected a number' }]);
    expect(await contact(result.results[1]!.contactId)).toMatchObject({
      lifecycle: 'Customer', fields: { signup: '2024-03-15', website: 'https://acme.io', language: 'Deutsch' },
    });
    expect(result.results[2]!.message).toBe('contacts[2].fields.signup_date: Unknown field; define it under /fields first');
    // An error row also lists what would have been left out, so one answer says everything to fix.
    expect(result.results[3]).toMatchObject({
      status: 'error', details: [{ path: 'contacts.3.phone', message: expect.stringMatching(/^Start with \+/) }],
      skipped: [{ field: 'language', message: 'Expected one of: English, Deutsch' }],
    });
  });

  it('imports and updates lifecycle stages in any case, recorded as a field change', async () => {
    await define();
    const first = await importRows({ contacts: [{ firstName: 'Ana', phone: '+34600111222', lifecycle: 'lead' }] });
    expect(first.results[0]).toMatchObject({ status: 'created' });
    const id = first.results[0]!.contactId;
    expect((await contact(id)).lifecycle).toBe('Lead');
    const events = await server.events('contact.field_updated');
    expect(events.map((e) => [e.payload.field, e.payload.newValue])).toEqual([['lifecycle', 'Lead']]);
    const again = await importRows({ contacts: [{ phone: '+34600111222', lifecycle: 'LEAD' }, { phone: '+34600111222', lifecycle: 'Customer' }] });
    expect(again.results.map((r) => r.status)).toEqual(['unchanged', 'updated']);
    expect((await contact(id)).lifecycle).toBe('Customer');
    // The unknown-key message no longer says lifecycle is only for updates.
    const typo = await importRows({ contacts: [{ firstName: 'Ben', stage: 'Lead' }] });
    expect(typo.results[0]!.message).toBe('contacts[0]: Unknown key "stage": a contact takes firstName, lastName, phone, email, tags, fields, lifecycle');
  });

  it('defaultCountry reads national numbers and the country code without "+" as webhooks do; without it, phones need their "+"', async () => {
    const rows = [
      { firstName: 'National', phone: '0151 10000000' },
      { firstName: 'Excel dropped the plus', phone: '4915110000001' },
      { firstName: 'International', phone: '+34 600 111 222' },
      { firstName: 'Too short', phone: '0151' },
    ];
    const strict = await importRows({ contacts: rows });
    expect(strict.results.map((r) => r.status)).toEqual(['error', 'error', 'created', 'error']);
    const read = await importRows({ defaultCountry: 'de', contacts: rows });
    expect(read.results.map((r) => r.status)).toEqual(['created', 'created', 'unchanged', 'error']);
    expect((await contact(read.results[0]!.contactId)).phone).toBe('+4915110000000');
    expect((await contact(read.results[1]!.contactId)).phone).toBe('+4915110000001');
    expect(read.results[3]!.message).toBe('contacts[3].phone: "0151" is not a phone number: it has no country code (+ and the code, e.g. +49 151 1234 5678), '
      + 'and it is not a valid DE number either (the workspace\'s default country)');
    const unknown = await admin.post('/contacts/import', { defaultCountry: 'XX', contacts: rows });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toBe('"XX" is not a country with a known phone numbering plan');
  });
}
