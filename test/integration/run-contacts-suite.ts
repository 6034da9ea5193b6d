import { afterAll, beforeAll, expect, it } from 'vitest';
import { Run, RunPage } from '../../lib/contracts/runs';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Each run in the run history's pages names its contact (name, phone, email, as they are now), so
 * the options page shows a page of 50 runs with one request instead of one more per row (the
 * review: 297 GET /contacts/:id for 6 pages). Registered by run-contacts.test.ts (SQLite) and
 * run-contacts.pg.test.ts (PostgreSQL).
 */
export function runContactsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  const ids = { workflow: '', maria: '', phoneOnly: '', emailOnly: '' };
  const admin = () => server.api(server.adminToken);
  const runOf = new Map<string, string>();

  beforeAll(async () => {
    // No workers: the runs stay queued, which is all this needs.
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    const wf = await admin().post('/workflows', { name: 'Note', trigger: { type: 'manual' }, steps: [{ id: 'n', type: 'add_comment', config: { text: 'hi' } }], status: 'published' });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    ids.workflow = wf.body.id;
    const contact = async (body: object) => {
      const res = await admin().post('/contacts', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    ids.maria = await contact({ firstName: 'María', lastName: 'López', phone: '+14155550100', email: 'maria@example.test' });
    ids.phoneOnly = await contact({ phone: '+14155550111' });
    ids.emailOnly = await contact({ email: 'someone@example.test' });
    for (const id of [ids.maria, ids.phoneOnly, ids.emailOnly]) {
      const started = await admin().post(`/workflows/${ids.workflow}/start`, { contact: { id } });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      runOf.set(id, started.body.runIds[0]);
    }
  }, 30_000);
  afterAll(async () => { await server?.close(); });

  const expected = () => ({
    [ids.maria]: { id: ids.maria, name: 'María López', phone: '+14155550100', email: 'maria@example.test' },
    [ids.phoneOnly]: { id: ids.phoneOnly, name: null, phone: '+14155550111', email: null },
    [ids.emailOnly]: { id: ids.emailOnly, name: null, phone: null, email: 'someone@example.test' },
  });
  const contactsOf = (page: RunPage) => Object.fromEntries(page.runs.map((r) => [r.contactId, r.contact]));

  it('GET /runs and GET /workflows/:id/runs name each run\'s contact in the page itself', async () => {
    for (const path of ['/runs', `/workflows/${ids.workflow}/runs`, `/runs?workflowId=${ids.workflow}&limit=1`]) {
      const res = await admin().get(path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = RunPage.parse(res.body);
      const want = expected();
      expect(contactsOf(page), path).toEqual(path.endsWith('limit=1') ? { [ids.emailOnly]: want[ids.emailOnly] } : want);
    }
  });

  it('GET /runs/:id names it too', async () => {
    const res = await admin().get(`/runs/${runOf.get(ids.maria)}`);
    expect(res.status).toBe(200);
    expect(Run.parse(res.body).contact).toEqual(expected()[ids.maria]);
  });

  it('names the contact as they are now, after an edit', async () => {
    expect((await admin().patch(`/contacts/${ids.phoneOnly}`, { firstName: 'Lee' })).status).toBe(200);
    const page = RunPage.parse((await admin().get(`/runs?contactId=${ids.phoneOnly}`)).body);
    expect(page.runs.map((r) => r.contact)).toEqual([{ id: ids.phoneOnly, name: 'Lee', phone: '+14155550111', email: null }]);
  });
}
