import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowSummaryList } from '../../lib/contracts/workflow';
import { byName, nameCollator } from '../../lib/workflow/name-order';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * GET /workflows' search and filters over real HTTP: `q` (part of the name, any case of A–Z),
 * `status` and `trigger`, alone and together, with `total` and pages that follow the filters;
 * bad values and parameters it does not take are 422s that say so. Registered by
 * workflow-filters.test.ts (SQLite) and workflow-filters.pg.test.ts (PostgreSQL).
 */
export function workflowFiltersSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  /** Every workflow made, by name (as people read it: name-order.ts) then id: the order every answer keeps. */
  let made: { id: string; name: string; status: string; trigger: string }[] = [];

  const shortcut = (name: string) => ({ type: 'shortcut', name });
  const named: [string, Record<string, unknown>, 'draft' | 'published'][] = [
    ['Refunds (EU)', shortcut('Refunds (EU)'), 'published'],
    ['refund follow-up', { type: 'manual' }, 'draft'],
    ['Late REFUND reminder', { type: 'conversation_closed' }, 'published'],
    ['Réponse rapide', shortcut('Réponse rapide'), 'published'],
    ['100% off coupon', { type: 'manual' }, 'draft'],
    ['100 off', { type: 'manual' }, 'draft'],
    ['order_id sync', { type: 'manual' }, 'draft'],
    ['orderXid sync', { type: 'manual' }, 'draft'],
  ];

  async function list(query: string) {
    const res = await admin.get(`/workflows?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return WorkflowSummaryList.parse(res.body);
  }
  const names = (page: { workflows: { name: string }[] }) => page.workflows.map((w) => w.name);
  const expected = (keep: (w: (typeof made)[number]) => boolean) => made.filter(keep).map((w) => w.name);

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = server.api(server.adminToken);
    const all: typeof named = [...named];
    // Enough of one kind to need several pages: every third published, every fourth a shortcut.
    for (let i = 0; i < 120; i++) {
      const name = `Flow ${String(i).padStart(3, '0')}`;
      all.push([name, i % 4 === 0 ? shortcut(name) : { type: 'conversation_opened' }, i % 3 === 0 ? 'published' : 'draft']);
    }
    made = [];
    for (const [name, trigger, status] of all) {
      const res = await admin.post('/workflows', { name, trigger, steps: [], status });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      made.push({ id: res.body.id, name, status, trigger: String(trigger.type) });
    }
    made.sort(byName(nameCollator()));
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  it.each([
    ['q=refund', ['Late REFUND reminder', 'refund follow-up', 'Refunds (EU)']],
    // A space typed around the words still finds them.
    ['q=%20refund%20', ['Late REFUND reminder', 'refund follow-up', 'Refunds (EU)']],
    ['q=R%C3%A9ponse', ['Réponse rapide']],
    // "%" and "_" are searched for as themselves, not as wildcards.
    ['q=100%25', ['100% off coupon']],
    ['q=order_id', ['order_id sync']],
    ['q=no%20such%20workflow', []],
  ])('?%s finds the workflows whose name holds it, any case, with their count', async (query, found) => {
    const page = await list(query);
    expect(names(page)).toEqual(found);
    expect(page.total).toBe(found.length);
    expect(page.nextCursor).toBeNull();
  });

  it('an empty search is no search: every workflow is counted', async () => {
    const page = await list('q=');
    expect(page.total).toBe(made.length);
    expect(names(page)).toEqual(made.slice(0, 50).map((w) => w.name));
  });

  it.each([
    ['status=published', (w: (typeof made)[number]) => w.status === 'published'],
    ['status=draft', (w: (typeof made)[number]) => w.status === 'draft'],
    ['trigger=shortcut', (w: (typeof made)[number]) => w.trigger === 'shortcut'],
    ['trigger=shortcut&status=draft', (w: (typeof made)[number]) => w.trigger === 'shortcut' && w.status === 'draft'],
    ['q=flow%2001&status=published&trigger=conversation_opened', (w: (typeof made)[number]) => w.name.startsWith('Flow 01') && w.status === 'published' && w.trigger === 'conversation_opened'],
  ])('?%s pages through exactly the matching workflows, by name, each page counting them all', async (query, keep) => {
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`${query}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(want.length);
      seen.push(...names(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toEqual(want);
    expect(pages).toBe(Math.ceil(want.length / 7));
  });

  it('a filter with no match answers an empty page, counted 0', async () => {
    const page = await list('trigger=mini_app');
    expect(page).toEqual({ workflows: [], nextCursor: null, total: 0 });
  });

  it.each([
    ['status=archived', 'querystring.status', /draft.*published/],
    ['status=Published', 'querystring.status', /draft.*published/],
    ['trigger=email', 'querystring.trigger', /shortcut/],
    [`q=${'a'.repeat(101)}`, 'querystring.q', /^Search with at most 100 characters/],
    ['status=draft&status=published', 'querystring.status', /./],
  ])('?%s: 422 naming %s', async (query, path, message) => {
    const res = await admin.get(`/workflows?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it.each(['tag=vip', 'name=Refunds', 'triggerType=shortcut'])('still refuses ?%s, naming the parameters it takes', async (query) => {
    const res = await admin.get(`/workflows?${query}`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain(`Unknown query parameter ${query.split('=')[0]}: this list takes q, status, trigger, limit, cursor`);
  });

  describe('GET /docs/json', () => {
    it('documents q, status and trigger, and total in the answer', async () => {
      const doc = (await server.request('GET', '/docs/json')).body;
      const op = doc.paths['/api/v1/workflows'].get;
      expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['query:q', 'query:status', 'query:trigger', 'query:limit', 'query:cursor']);
      expect(op.parameters.find((p: { name: string }) => p.name === 'trigger').schema.enum).toContain('incoming_webhook');
      expect(op.responses['200'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['workflows', 'nextCursor', 'total']));
    });
  });
}
