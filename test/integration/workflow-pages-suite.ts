import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowSummaryList } from '../../lib/contracts/workflow';
import { byName, nameCollator } from '../../lib/workflow/name-order';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * GET /workflows pages as GET /contacts does (`limit`, `cursor`, `nextCursor`), by name then id,
 * over real HTTP: a workspace with 300 workflows reads every one of them, once, in order.
 * Registered by workflow-pages.test.ts (SQLite) and workflow-pages.pg.test.ts (PostgreSQL).
 */
export function workflowPagesSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  /** Every workflow made, in the order the list must give them: names as people read them (name-order.ts), then id. */
  let made: { id: string; name: string }[] = [];
  let opened = '';

  // Names a cursor must carry across a query string intact, duplicates, case apart, and numbers
  // that bytes would put in another order ("Flow 10" before "Flow 9").
  const odd = ['A & B + C #1', 'tilde~name', 'Same name', 'Same name', 'Same name', 'alpha', 'Alpha', 'Ünïcödé', 'émoji 🚀', 'ｱｲｳ', 'x'.repeat(100), '%20 100%', 'Flow 9', 'Flow 10', 'Zeta', 'Örebro'];

  async function list(query: string, headers?: Record<string, string>) {
    const res = await admin.get(`/workflows${query}`, headers ? { headers } : undefined);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return WorkflowSummaryList.parse(res.body);
  }
  /** Every page of `limit`, following nextCursor as a client would (raw: it needs no encoding). */
  async function everyPage(limit: number) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.workflows.length).toBeLessThanOrEqual(limit);
      seen.push(...page.workflows.map((w) => w.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    return { seen, pages };
  }

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = server.api(server.adminToken);
    const names = [...odd, ...Array.from({ length: 300 - odd.length }, (_, i) => `Flow ${String((i * 7919) % 1000).padStart(3, '0')}`)];
    made = [];
    for (const name of names) {
      const res = await admin.post('/workflows', { name, trigger: { type: 'manual' }, steps: [] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      made.push({ id: res.body.id, name });
    }
    // One that has run, on the second page of 200: its last run is read there too.
    const ran = await admin.post('/workflows', { name: 'zz Opened', trigger: { type: 'conversation_opened' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }], status: 'published' });
    expect(ran.status, JSON.stringify(ran.body)).toBe(201);
    made.push({ id: ran.body.id, name: 'zz Opened' });
    opened = ran.body.id;
    const contact = await admin.post('/contacts', { firstName: 'Paging' });
    expect((await admin.post('/conversations', { contactId: contact.body.id })).status).toBe(201);
    made.sort(byName(nameCollator()));
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  it('a client that sends no limit gets the first 50 by name, and a nextCursor', async () => {
    const first = await list('');
    expect(first.workflows.map((w) => w.id)).toEqual(made.slice(0, 50).map((w) => w.id));
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  /** Every name, page after page of 200. */
  async function everyName(headers?: Record<string, string>) {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=200${cursor ? `&cursor=${cursor}` : ''}`, headers);
      names.push(...page.workflows.map((w) => w.name));
      cursor = page.nextCursor;
    } while (cursor);
    return names;
  }

  it('orders names as people read them: any case, accents beside their letter, numbers by value', async () => {
    const names = await everyName();
    const at = (name: string) => names.indexOf(name);
    expect(at('alpha')).toBeLessThan(at('Flow 9'));
    expect(at('émoji 🚀')).toBeLessThan(at('Flow 9'));
    expect(at('Flow 9')).toBeLessThan(at('Flow 10'));
    expect(at('Flow 10')).toBeLessThan(at('Same name'));
    expect(at('tilde~name')).toBeLessThan(at('Ünïcödé'));
    expect(at('Ünïcödé')).toBeLessThan(at('Zeta'));
  });

  it('orders by the languages of Accept-Language, page after page', async () => {
    const pages = await everyName({ 'accept-language': 'sv-SE,sv;q=0.9,en;q=0.8' });
    // "Ö" is a letter after "Z" in Swedish; elsewhere an "O".
    expect(pages.indexOf('Zeta')).toBeLessThan(pages.indexOf('Örebro'));
    const english = await everyName({ 'accept-language': 'en' });
    expect(english.indexOf('Örebro')).toBeLessThan(english.indexOf('Same name'));
    expect(pages).toEqual([...made].sort(byName(nameCollator(['sv-SE', 'sv', 'en']))).map((w) => w.name));
  });

  it.each([1, 7, 50, 200])('pages of %i give all 301 workflows, each once, by name then id', async (limit) => {
    const { seen, pages } = await everyPage(limit);
    expect(seen).toEqual(made.map((w) => w.id));
    expect(pages).toBe(Math.ceil(made.length / limit));
  });

  it('answers each workflow as GET /workflows/:id does, with its last run, on any page', async () => {
    const first = await list('?limit=200');
    const last = await list(`?limit=200&cursor=${first.nextCursor}`);
    expect(last.nextCursor).toBeNull();
    const listed = last.workflows.find((w) => w.id === opened);
    const runs = (await admin.get(`/workflows/${opened}/runs`)).body.runs as { createdAt: string }[];
    expect(runs).toHaveLength(1);
    expect(listed).toMatchObject({ ...(await admin.get(`/workflows/${opened}`)).body, triggerType: 'conversation_opened', lastRunAt: runs[0]!.createdAt });
  });

  it('pages on from where it was when the workflow at the cursor is deleted, or one is added before it', async () => {
    const first = await list('?limit=3');
    expect(first.workflows.map((w) => w.id)).toEqual(made.slice(0, 3).map((w) => w.id));
    expect((await admin.del(`/workflows/${made[2]!.id}`)).status).toBe(204);
    // Sorts before every other name: on a first page, never on the next one.
    const early = await admin.post('/workflows', { name: '!first', trigger: { type: 'manual' }, steps: [] });
    expect(early.status).toBe(201);
    const second = await list(`?limit=3&cursor=${first.nextCursor}`);
    expect(second.workflows.map((w) => w.id)).toEqual(made.slice(3, 6).map((w) => w.id));
    made = [{ id: early.body.id, name: '!first' }, ...made.filter((_, i) => i !== 2)];
  });

  it.each([
    ['limit=0', 'querystring.limit', 'Give limit as a whole number from 1 to 200'],
    ['limit=201', 'querystring.limit', 'Give limit as a whole number from 1 to 200'],
    ['limit=ten', 'querystring.limit', 'Give limit as a whole number from 1 to 200'],
    ['cursor=wf_zzzz', 'querystring.cursor', 'Pass the `nextCursor` of the page before, as it was answered'],
    // A name of the wrong encoding (padded, standard base64) and a cut id are not cursors it gave.
    ['cursor=QQ%3D%3D~wf_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'querystring.cursor', 'Pass the `nextCursor` of the page before, as it was answered'],
    ['cursor=QQ~con_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'querystring.cursor', 'Pass the `nextCursor` of the page before, as it was answered'],
    ['cursor=_w~wf_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'querystring.cursor', 'Pass the `nextCursor` of the page before, as it was answered'],
  ])('?%s: 422 naming %s', async (query, path, message) => {
    const res = await admin.get(`/workflows?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{ path, message }]);
  });

  it('refuses a filter it does not take, naming the parameters it does', async () => {
    const res = await admin.get('/workflows?tag=vip');
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Unknown query parameter tag: this list takes q, status, trigger, limit, cursor');
  });

  describe('GET /docs/json', () => {
    it('documents limit and cursor, and nextCursor in the answer', async () => {
      const doc = (await server.request('GET', '/docs/json')).body;
      const op = doc.paths['/api/v1/workflows'].get;
      expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['query:limit', 'query:cursor']));
      expect(op.responses['200'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['workflows', 'nextCursor']));
    });
  });
}
