import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { RUNS_CHANNEL } from '../../server/engine/executor/pg-bridge';
import { PEER_BEAT_MS, Peers } from '../../server/engine/executor/peers';
import { pickQueued } from '../../server/engine/executor/run-queue';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, eachPgServer, pgUrl } from '../support/postgres';
import { startTestServer } from '../support/server';

// Several instances on one PostgreSQL database share the queue heads out by contact (peers.ts).
describePg('instances sharing the run queue (PostgreSQL)', () => {
  let services: Services;
  eachPgServer((server) => { services = server.app.services; });

  it('each live instance learns its place among the others; one that leaves or goes silent is counted out', async () => {
    const a = new Peers(services.db, 'instance-a', 1_000);
    const b = new Peers(services.db, 'instance-b', 1_000);
    expect(await a.beat()).toBeUndefined(); // alone: no share, every head is its own
    await b.beat();
    expect(await a.beat()).toEqual({ slot: 0, of: 2 });
    expect(b.partition).toEqual({ slot: 1, of: 2 });

    await b.leave();
    expect(await a.beat()).toBeUndefined();

    // A crashed instance never leaves: it is counted out once it has been silent too long.
    await b.beat();
    expect(await a.beat()).toEqual({ slot: 0, of: 2 });
    await sql`UPDATE engine_peers SET seen_ms = seen_ms - 5000 WHERE id = 'instance-b'`.execute(services.db);
    expect(await a.beat()).toBeUndefined();
  });

  it('an instance picks the heads of its own contacts first, and any contact\'s when its own have none', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const runs: { id: string; contactId: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const contactId = (await insertContact(services, { firstName: `C${i}` })).contact.id;
      runs.push({ id: await insertRun(services.db, { workflowId: wf.id, contactId }), contactId });
    }
    const { rows } = await sql<{ id: string; share: number }>`SELECT id, (hashtext(contact_id) & 2147483647) % 2 AS share FROM runs`.execute(services.db);
    const inShare = (slot: number) => rows.filter((r) => Number(r.share) === slot).map((r) => r.id).sort();
    const [zero, one] = [inShare(0), inShare(1)];
    expect(zero.length).toBeGreaterThan(0);
    expect(one.length).toBeGreaterThan(0);

    expect((await pickQueued(services.db, 'postgres', 50, { share: { slot: 0, of: 2 } })).picked).toEqual(zero);
    expect((await pickQueued(services.db, 'postgres', 50, { share: { slot: 1, of: 2 } })).picked).toEqual(one);
    // Share 0's heads are taken (a round of this instance holds them): it goes on with share 1's.
    expect((await pickQueued(services.db, 'postgres', 50, { skip: new Set(zero), share: { slot: 0, of: 2 } })).picked).toEqual(one);
    expect((await pickQueued(services.db, 'postgres', 50)).picked).toEqual(runs.map((r) => r.id).sort());
  });
});

describePg('telling other instances of new runs (PostgreSQL)', () => {
  it('an instance executing runs alone sends no NOTIFY for the runs it creates; once another executes runs too, it does', async () => {
    const server = await startTestServer({ databaseUrl: pgUrl()! });
    const { services } = server.app;
    const listener = new pg.Client({ connectionString: pgUrl()! });
    await listener.connect();
    const heard: { payload: string; at: number }[] = [];
    listener.on('notification', (n) => { if (n.channel === RUNS_CHANNEL) heard.push({ payload: n.payload ?? '', at: Date.now() }); });
    await listener.query(`LISTEN ${RUNS_CHANNEL}`);
    const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(services.db)).rows[0]!.s;
    // Another database's instances are not ours: only this schema's NOTIFYs would carry its instance id.
    const ours = () => heard.filter((h) => h.payload.includes(services.config.instanceId));
    try {
      // This instance has counted itself (its first beat) and nobody else.
      const until = Date.now() + 5_000;
      while (!(await sql<{ n: number }>`SELECT count(*)::int AS n FROM engine_peers`.execute(services.db)).rows[0]!.n) {
        if (Date.now() > until) throw new Error(`the instance never registered in ${schema}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, PEER_BEAT_MS + 200));
      services.runSignal.notify();
      await new Promise((r) => setTimeout(r, 300));
      expect(ours()).toEqual([]);

      // A second instance executing runs: the next beat counts it, and new runs are announced.
      await new Peers(services.db, 'instance-other').beat();
      await new Promise((r) => setTimeout(r, PEER_BEAT_MS + 200));
      services.runSignal.notify();
      const waitUntil = Date.now() + 3_000;
      while (ours().length === 0 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 50));
      expect(ours().length).toBeGreaterThan(0);

      // A burst of new runs (a signal every 5 ms for 300 ms, each in its own tick) is announced
      // at most once per 20 ms, and its last signal is still announced, after it.
      await new Promise((r) => setTimeout(r, 100));
      const before = ours().length;
      const burstStart = Date.now();
      let lastSignal = 0;
      for (let i = 0; i < 60; i++) {
        services.runSignal.notify();
        lastSignal = Date.now();
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 300));
      const burst = ours().slice(before);
      expect(burst.length).toBeGreaterThan(1);
      expect(burst.length).toBeLessThanOrEqual(Math.ceil((lastSignal - burstStart) / 20) + 2);
      expect(burst.at(-1)!.at).toBeGreaterThanOrEqual(lastSignal);
    } finally {
      await listener.end();
      await server.close();
    }
  });
});
