import { expect, it } from 'vitest';
import { ContactImportResult } from '../../lib/contracts/contact-import';
import { Contact } from '../../lib/contracts/contacts';
import { eachAdminServer } from '../support/each-server';
import type { Api, TestServer } from '../support/server';
import { createWorkflow, runsOf } from './engine-support';

/**
 * Registered by contact-import-parts.test.ts (SQLite) and contact-import-parts.pg.test.ts
 * (PostgreSQL): a part of an import (a transaction of 250 rows) is written in a few statements,
 * not several per row (5,000 rows took 1.3-2.4 s on PostgreSQL, mostly round trips), and a row the
 * database refuses sends only its own part row by row.
 */
export function contactImportPartsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; }, { workers: false });

  async function importRows(body: Record<string, unknown>) {
    const before = server.store.counters!.statements;
    const res = await admin.post('/contacts/import', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { result: ContactImportResult.parse(res.body), statements: server.store.counters!.statements - before };
  }
  const defineFields = async () => {
    for (const [key, type] of [['city', 'text'], ['orders', 'number']]) expect((await admin.put(`/fields/${key}`, { label: key, type })).status).toBe(200);
  };
  const rows = (n: number, change = '') => Array.from({ length: n }, (_, i) => ({
    firstName: `P${i}`, lastName: `L${change}`, phone: `+1415555${String(i).padStart(4, '0')}`, email: `p${i}@example.com`,
    // A tag of its own per row: each is a trigger key (contact_tag_updated) to look listeners up for.
    tags: [`t-${i}${change}`, 'vip'], fields: { city: `City ${i}${change}`, orders: i },
  }));

  it('a part costs a few statements whatever its rows carry, new or updated, with or without Run workflows (no lookup per row)', async () => {
    await defineFields();
    const onVip = await createWorkflow(server, { name: 'Welcome VIPs', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [] });
    // 500 rows: the options page's part, two transactions of 250.
    const created = await importRows({ contacts: rows(500) });
    expect(created.result).toMatchObject({ created: 500, failed: 0 });
    const updated = await importRows({ contacts: rows(500, 'x') });
    expect(updated.result).toMatchObject({ updated: 500, failed: 0 });
    const loud = await importRows({ fireTriggers: true, contacts: rows(500, 'y').map(({ tags: _t, ...r }) => ({ ...r, tags: [`t-y`] })) });
    expect(loud.result).toMatchObject({ updated: 500, failed: 0 });
    // Row by row it was 3-4 per row (a savepoint, its release, the write, a lookup per new tag): 1,500-2,000.
    for (const cost of [created.statements, updated.statements, loud.statements]) expect(cost).toBeLessThanOrEqual(2 * 12);

    // What the rows did is all there, as row by row: the contacts, their events, the note on each imported one.
    const ana = Contact.parse((await admin.get(`/contacts/${created.result.results[7]!.contactId}`)).body);
    expect(ana).toMatchObject({ firstName: 'P7', lastName: 'Ly', phone: '+14155550007', email: 'p7@example.com', tags: ['t-7', 'vip', 't-7x', 't-y'], fields: { city: 'City 7y', orders: 7 } });
    const vip = await server.store.db.selectFrom('events').select('note').where('type', '=', 'contact.tag_added').where('payload', 'like', '%"vip"%').execute();
    expect(vip).toHaveLength(500);
    expect(new Set(vip.map((e) => e.note))).toEqual(new Set([`imported: a contact import without "Run workflows", so no trigger fires; not started: ${onVip.id}`]));
    const fieldEvents = await server.store.db.selectFrom('events').select('id').where('type', '=', 'contact.field_updated').execute();
    expect(fieldEvents).toHaveLength(500 * 2 + 500 * 2 + 500 * 2);
    expect(await runsOf(server, onVip.id)).toEqual([]);
  });

  it('a row the database refuses sends only its part row by row: every row still gets its own outcome', async () => {
    await defineFields();
    const a = Contact.parse((await admin.post('/contacts', { firstName: 'A', phone: '+14155559001', email: 'a@example.com' })).body);
    const b = Contact.parse((await admin.post('/contacts', { firstName: 'B', phone: '+14155559002', email: 'b@example.com' })).body);
    const contacts = [
      ...rows(250).map(({ tags: _t, ...r }) => ({ ...r, tags: ['same'] })),
      // The second part: B gives up its phone and A takes it (fine one after the other, whatever
      // order one statement takes them in), and a NUL, which only the database refuses.
      { email: 'b@example.com', phone: '+14155559003' },
      { email: 'a@example.com', phone: '+14155559002' },
      { firstName: 'Nul\u0000', phone: '+14155559100' },
      ...rows(247).map(({ tags: _t, ...r }, i) => ({ ...r, phone: `+1415666${String(i).padStart(4, '0')}`, email: `q${i}@example.com`, tags: ['same'] })),
    ];
    const { result, statements } = await importRows({ match: 'email', contacts });
    expect(result).toMatchObject({ created: 250 + 247, updated: 2, failed: 1 });
    expect(result.results.slice(250, 253).map((r) => r.status)).toEqual(['updated', 'updated', 'error']);
    expect(result.results[252]).toMatchObject({ status: 'error', message: 'contacts[252].firstName: Text may not contain NUL (\\u0000) characters' });
    expect(Contact.parse((await admin.get(`/contacts/${a.id}`)).body).phone).toBe('+14155559002');
    expect(Contact.parse((await admin.get(`/contacts/${b.id}`)).body).phone).toBe('+14155559003');
    expect(await server.store.db.selectFrom('contacts').select('id').where('first_name', 'like', 'Nul%').execute()).toEqual([]);
    // Only the second part went row by row (about 3 a row); the first was a few statements.
    expect(statements).toBeLessThan(250 * 3 + 40);
  });
}
