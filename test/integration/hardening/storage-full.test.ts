import { sql } from 'kysely';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';

// A disk that fills up on a small server with SQLite: what was acknowledged stays, what comes
// meanwhile is refused with a 503 that says so (senders keep it and retry), and once there is
// room again everything works. SQLite's max_page_count stands in for the disk: SQLITE_FULL either way.
describe('the database is full', () => {
  let s: TestServer;
  let dir: string;
  let hook: string;
  const pages = async () => Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(s.app.services.db)).rows[0]!.page_count);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'companion-full-'));
    s = await startTestServer({ sqliteFile: path.join(dir, 'companion.sqlite') });
    const admin = s.api(s.adminToken);
    expect((await admin.post('/contacts', { firstName: 'Ada', email: 'ada@example.com' })).status).toBe(201);
    const wf = await admin.post('/workflows', {
      name: 'Full', trigger: { type: 'incoming_webhook', identifier: { type: 'email', jsonKey: '$.email' } },
      steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['seen'] } }],
    });
    expect(wf.status).toBe(201);
    expect((await admin.post(`/workflows/${(wf.body as { id: string }).id}/publish`)).status).toBe(200);
    hook = new URL((wf.body as { trigger: { url: string } }).trigger.url).pathname;
  });
  afterAll(async () => {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  const deliver = (n: number) => fetch(`${s.url}${hook}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', n, pad: 'x'.repeat(20_000) }) });

  it('refuses deliveries with a 503 that says so, keeps serving reads, and takes them again once there is room', async () => {
    expect((await deliver(0)).status).toBe(202);
    await sql.raw(`PRAGMA max_page_count = ${await pages()}`).execute(s.app.services.db);
    let refused: Response | undefined;
    for (let n = 1; n <= 50 && !refused; n++) {
      const res = await deliver(n);
      if (res.status !== 202) refused = res;
    }
    expect(refused?.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBe('60');
    expect(((await refused!.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'storage_full', message: 'The server has no room left to store this; nothing was stored. Retry later',
    });
    expect((await s.api(s.adminToken).get('/contacts')).status).toBe(200);
    await sql.raw('PRAGMA max_page_count = 1073741823').execute(s.app.services.db);
    expect((await deliver(99)).status).toBe(202);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });
});
