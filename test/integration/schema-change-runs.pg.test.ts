import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../fixtures/meta/payloads';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { startChannelWorld, type ChannelWorld } from './channels/support';
import { publishWebhookWorkflow } from './webhooks/support';

// A rolling upgrade on PostgreSQL: another instance migrates (ALTER TABLE … ADD COLUMN) while this
// one drains a backlog. Its prepared statements reading those tables go stale (SQLSTATE 0A000,
// "cached plan must not change result type"); the review found a run failing with those words and
// its acknowledged message never sent. A transient database error puts the run back instead.
describePg('runs draining while another instance changes the schema (PostgreSQL)', () => {
  let w: ChannelWorld | undefined;
  let server: TestServer | undefined;
  afterEach(async () => { await w?.close(); await server?.close(); w = server = undefined; });

  it('every accepted delivery’s two messages reach Meta exactly once, and no run fails', async () => {
    w = await startChannelWorld({ databaseUrl: pgUrl()! });
    const { server, graph } = w;
    const admin = server.api(server.adminToken);
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }))).status).toBe(200);
    const hook = await publishWebhookWorkflow(server, { mappings: [{ jsonKey: '$.n', variable: 'n' }] }, [
      { id: 's1', type: 'send_message', config: { text: 'B1 {{$trigger.n}}' } },
      { id: 's2', type: 'send_message', config: { text: 'B2 {{$trigger.n}}' } },
    ]);

    const N = 300;
    const accepted: number[] = [];
    let next = 0;
    const deliveries = Promise.all(Array.from({ length: 6 }, async () => {
      while (next < N) {
        const n = next++;
        const res = await server.request('POST', hook.path, { body: { phone: '+14155550123', n } });
        if (res.status === 202) accepted.push(n);
      }
    }));
    // What the next release's migration does, several times while the backlog drains: each
    // change makes every connection's prepared statements on those tables stale.
    for (let i = 1; i <= 6; i++) {
      await new Promise((r) => setTimeout(r, 400));
      const column = sql.raw(`zz_future_${i}`);
      const migration = sql`begin; alter table contacts add column ${column} text; alter table conversations add column ${column} text;
        alter table runs add column ${column} text; alter table workflows add column ${column} text; alter table messages add column ${column} text; commit`;
      // Its locks taken one table after another may deadlock with a round; PostgreSQL gives up one side.
      await waitFor('the schema change', () => migration.execute(server.store.db).then(() => true, (err: { code?: string }) => {
        if (err.code === '40P01') return undefined;
        throw err;
      }));
    }
    await deliveries;
    expect(accepted).toHaveLength(N);

    await waitFor('the backlog drained', async () => (await admin.get(`/workflows/${hook.id}/runs/unfinished`)).body.total === 0 || undefined, 120_000);
    const failed = await admin.get(`/workflows/${hook.id}/runs?status=failed&limit=5`);
    expect(failed.body.runs.map((r: { error: string }) => r.error)).toEqual([]);
    const texts = graph.sent.map((m) => (m.body as { text?: { body?: string } }).text?.body);
    const expected = accepted.flatMap((n) => [`B1 ${n}`, `B2 ${n}`]).sort();
    expect([...texts].sort()).toEqual(expected);
  }, 180_000);

  // A request on the API meets the same stale statement: it rolled back whole, so it is a 503
  // saying to send it again (as a deadlock is), not a 500; sent again, it goes through.
  it('a request meeting a statement gone stale is answered 503 "send it again", and the same request then succeeds', async () => {
    server = await startTestServer({ databaseUrl: pgUrl()!, poolSize: 1, workers: false });
    const admin = server.api(server.adminToken);
    const contact = await admin.post('/contacts', { firstName: 'Ana', phone: '+14155550123' });
    expect(contact.status).toBe(201);
    const rename = (firstName: string) => admin.patch(`/contacts/${contact.body.id}`, { firstName });
    for (const name of ['Ann', 'Anna']) expect((await rename(name)).status).toBe(200);
    await sql`alter table contacts add column zz_future text`.execute(server.store.db);
    const stale = await rename('Anne');
    expect(stale.status).toBe(503);
    expect(stale.headers.get('retry-after')).toBe('1');
    expect(stale.body.error).toMatchObject({ code: 'busy', message: expect.stringMatching(/send it again$/) });
    const again = await rename('Anne');
    expect(again.status).toBe(200);
    expect((await admin.get(`/contacts/${contact.body.id}`)).body.firstName).toBe('Anne');
  });
});
