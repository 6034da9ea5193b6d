import { afterAll, beforeAll, expect, it } from 'vitest';
import { Contact, ContactList } from '../../lib/contracts/contacts';
import { ConversationList } from '../../lib/contracts/conversations';
import { WorkflowSummaryList } from '../../lib/contracts/workflow';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * Search ignores the case of every letter, not only A–Z, on both stores, as Chatwoot's and
 * respond.io's: "muñoz" finds "MUÑOZ", "ÅNGSTRÖM" finds "Ångström", in GET /contacts?q=, the
 * inbox's GET /conversations?q= (each tab, and both, with the count) and GET /workflows?q=.
 * Accents stay significant ("munoz" does not find "Muñoz"), as in Chatwoot. Registered by
 * search-any-case.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 */
export function searchAnyCaseSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  const people = [
    { firstName: 'José', lastName: 'MUÑOZ', email: 'jose@example.com' },
    { firstName: 'Zoë', lastName: 'Ångström' },
    { firstName: 'ZOË', lastName: 'Berg' },
    { firstName: 'Ελένη', lastName: 'Παπαδοπούλου' },
    { firstName: 'Γιώργος', lastName: 'ΠΑΠΑΣΤΑΘΗΣ' },
    { firstName: 'Anna', lastName: 'Smith', email: 'anna_s@example.com' },
  ];

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = server.api(server.adminToken);
    for (const [i, person] of people.entries()) {
      const contact = await admin.post('/contacts', person);
      expect(contact.status, JSON.stringify(contact.body)).toBe(201);
      const conversation = await admin.post('/conversations', { contactId: Contact.parse(contact.body).id });
      expect(conversation.status, JSON.stringify(conversation.body)).toBe(201);
      // Every other one closed: the search covers both tabs.
      if (i % 2) expect((await admin.post(`/conversations/${conversation.body.id}/close`, {})).status).toBeLessThan(300);
    }
    for (const name of ['Äpfel refund', 'apple refund', 'ÉTÉ promo']) {
      const res = await admin.post('/workflows', { name, trigger: { type: 'manual' }, steps: [], status: 'draft' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }, 60_000);
  afterAll(async () => { await server?.close(); });

  const fullNames = (list: { firstName?: string | null; lastName?: string | null }[]) => list.map((c) => `${c.firstName ?? ''} ${c.lastName ?? ''}`.trim()).sort();
  async function contacts(q: string) {
    const res = await admin.get(`/contacts?q=${encodeURIComponent(q)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return fullNames(ContactList.parse(res.body).contacts);
  }
  async function inbox(q: string, status = '') {
    const res = await admin.get(`/conversations?q=${encodeURIComponent(q)}${status ? `&status=${status}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = ConversationList.parse(res.body);
    expect(page.total).toBe(page.conversations.length);
    return fullNames(page.conversations.map((c) => c.contact));
  }

  it.each([
    ['muñoz', ['José MUÑOZ']],
    ['MUÑOZ', ['José MUÑOZ']],
    ['JOSÉ', ['José MUÑOZ']],
    ['ÅNGSTRÖM', ['Zoë Ångström']],
    ['ångström', ['Zoë Ångström']],
    ['zoë', ['ZOË Berg', 'Zoë Ångström']],
    ['ZOË', ['ZOË Berg', 'Zoë Ångström']],
    ['ελένη', ['Ελένη Παπαδοπούλου']],
    ['ΠΑΠΑΔΟΠΟΎΛΟΥ', ['Ελένη Παπαδοπούλου']],
    // Greek's final sigma is a sigma: Σ ends "ΠΑΠΑΣ" (ς when lowercased) but not "ΠΑΠΑΣΤΑΘΗΣ".
    ['ΠΑΠΑΣ', ['Γιώργος ΠΑΠΑΣΤΑΘΗΣ']],
    ['παπας', ['Γιώργος ΠΑΠΑΣΤΑΘΗΣ']],
    ['παπασ', ['Γιώργος ΠΑΠΑΣΤΑΘΗΣ']],
    ['παπασταθης', ['Γιώργος ΠΑΠΑΣΤΑΘΗΣ']],
    ['ΠΑΠΑΣΤΑΘΗΣ', ['Γιώργος ΠΑΠΑΣΤΑΘΗΣ']],
    ['ΓΙΏΡΓΟΣ', ['Γιώργος ΠΑΠΑΣΤΑΘΗΣ']],
    ['ργοσ παπ', ['Γιώργος ΠΑΠΑΣΤΑΘΗΣ']],
    // The full name, in another case.
    ['zoë ångström', ['Zoë Ångström']],
    // Accents stay significant, as in Chatwoot.
    ['munoz', []],
    ['angstrom', []],
    // ASCII as before: any case, "_" as itself.
    ['SMITH', ['Anna Smith']],
    ['anna_s', ['Anna Smith']],
    ['anna%', []],
  ])('contacts and the inbox: q=%s finds %j', async (q, found) => {
    expect(await contacts(q)).toEqual(found);
    expect(await inbox(q)).toEqual(found);
    const [open, closed] = [await inbox(q, 'open'), await inbox(q, 'closed')];
    expect([...open, ...closed].sort()).toEqual(found);
  });

  it.each([
    ['äpfel', ['Äpfel refund']],
    ['ÄPFEL', ['Äpfel refund']],
    ['été', ['ÉTÉ promo']],
    ['APPLE', ['apple refund']],
    ['apfel', []],
  ])('workflows: q=%s finds %j', async (q, found) => {
    const res = await admin.get(`/workflows?q=${encodeURIComponent(q)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = WorkflowSummaryList.parse(res.body);
    expect(page.workflows.map((w) => w.name)).toEqual(found);
    expect(page.total).toBe(found.length);
  });

  /** The statements one GET cost the server: the fewest of five tries. */
  async function statementsOf(path: string): Promise<number> {
    const counters = server.store.counters!;
    let fewest = Infinity;
    for (let i = 0; i < 5; i++) {
      const before = counters.statements;
      const res = await admin.get(path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      fewest = Math.min(fewest, counters.statements - before);
    }
    return fewest;
  }

  it('the inbox search reads the matching contacts once: both tabs and the count in one statement, as one tab', async () => {
    const oneTab = await statementsOf('/conversations?status=open&q=m');
    expect(await statementsOf('/conversations?q=m')).toBe(oneTab);
    expect(await statementsOf(`/conversations?q=m&updatedSince=${encodeURIComponent('2020-01-01T00:00:00Z')}`)).toBe(oneTab);
    // A tab without a search is its page and its count: the search costs no more.
    expect(oneTab).toBeLessThan(await statementsOf('/conversations?status=open'));
  });

  it('the inbox search pages by cursor over both tabs, each match once, with its total; updatedSince keeps what closed since', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const contact = await admin.post('/contacts', { firstName: 'ÓSCAR', lastName: `Núñez ${i}` });
      const conversation = await admin.post('/conversations', { contactId: Contact.parse(contact.body).id });
      made.push(conversation.body.id as string);
      if (i % 3 === 0) expect((await admin.post(`/conversations/${conversation.body.id}/close`, {})).status).toBeLessThan(300);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.get(`/conversations?q=%C3%B3scar&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = ConversationList.parse(res.body);
      expect(page.total).toBe(7);
      seen.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...made].sort());

    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    expect((await admin.post(`/conversations/${made[1]}/close`, {})).status).toBeLessThan(300);
    for (const status of ['', '&status=closed']) {
      const res = await admin.get(`/conversations?q=%C3%93SCAR&updatedSince=${encodeURIComponent(since)}${status}`);
      const page = ConversationList.parse(res.body);
      expect({ ids: page.conversations.map((c) => c.id), total: page.total }).toEqual({ ids: [made[1]], total: 1 });
    }
  });

  it.each(['/contacts', '/conversations', '/workflows'])('%s?q= longer than 100 characters is still a 422', async (path) => {
    const res = await admin.get(`${path}?q=${'ü'.repeat(101)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_content');
  });
}
