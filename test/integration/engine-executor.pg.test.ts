import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import type { LiveMessage } from '../../lib/contracts/events';
import { LIVE_CHANNEL } from '../../server/engine/executor/pg-bridge';
import { newId, nowIso } from '../../server/ids';
import type { RunningServer } from '../../server/server';
import { toJson } from '../../server/store/database';
import type { RunsTable } from '../../server/store/schema';
import { insertContact, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, pgInstances, pgUrl } from '../support/postgres';

const RUNS = 1_000;
const CONTACTS = 100;

describePg('run executor on PostgreSQL with two instances', () => {
  const url = pgUrl()!;
  const instances = pgInstances(2, { poolSize: 8, listen: false });

  it('carries live messages from one instance to the other', async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const heard = new Promise<LiveMessage>((resolve) => {
      const off = b.app.services.live.subscribe((m) => { if (m.type === 'run.updated' && m.runId === 'run_relay') { off(); resolve(m); } });
    });
    // b says it opened a stream (one NOTIFY away): a relays from when it has heard.
    const publishing = setInterval(() => a.app.services.live.publish({ type: 'run.updated', runId: 'run_relay', workflowId: 'wf', status: 'completed' }), 20);
    try {
      expect(await heard).toMatchObject({ runId: 'run_relay', status: 'completed' });
    } finally {
      clearInterval(publishing);
    }
  });

  it('relays stream messages only while another instance has a stream open, and cache messages always', async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    // What goes through the database, seen by a listener of our own.
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const relayed: string[] = [];
    listener.on('notification', (n) => { if (n.channel === LIVE_CHANNEL) relayed.push(n.payload ?? ''); });
    await listener.query(`LISTEN ${LIVE_CHANNEL}`);
    const cleared = new Promise<void>((resolve) => {
      const stop = b.app.services.live.watch('definitions.changed', (m) => { if (m.type === 'definitions.changed' && m.version === 'v-relay') { stop(); resolve(); } });
    });
    try {
      expect(a.app.services.live.streams + b.app.services.live.streams).toBe(0);
      a.app.services.live.publish({ type: 'run.updated', runId: 'run_nobody', workflowId: 'wf', status: 'completed' });
      a.app.services.live.publish({ type: 'definitions.changed', version: 'v-relay' });
      await cleared; // b's token cache hears a definitions change even with no stream anywhere
      await new Promise((r) => setTimeout(r, 300));
      expect(relayed.some((p) => p.includes('v-relay'))).toBe(true);
      expect(relayed.some((p) => p.includes('run_nobody'))).toBe(false);

      // b opens a stream: a's run updates reach it (once a has heard b say so).
      const heard = new Promise<void>((resolve) => {
        const off = b.app.services.live.subscribe((m) => { if (m.type === 'run.updated' && m.runId === 'run_watched') { off(); resolve(); } });
      });
      const publishing = setInterval(() => a.app.services.live.publish({ type: 'run.updated', runId: 'run_watched', workflowId: 'wf', status: 'completed' }), 20);
      try { await heard; } finally { clearInterval(publishing); }

      // b closed it again (the subscription above ended when heard): nothing more is relayed.
      await new Promise((r) => setTimeout(r, 300));
      relayed.length = 0;
      a.app.services.live.publish({ type: 'run.updated', runId: 'run_after', workflowId: 'wf', status: 'completed' });
      await new Promise((r) => setTimeout(r, 300));
      expect(relayed.some((p) => p.includes('run_after'))).toBe(false);
    } finally {
      await listener.end();
    }
  });

  it(`executes ${RUNS} three-step runs with every step exactly once, shared by both instances`, async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const services = a.app.services;
    const contacts: string[] = [];
    for (let i = 0; i < CONTACTS; i++) contacts.push((await insertContact(services, { firstName: `C${i}` })).contact.id);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: ['a', 'b', 'c'].map((id) => ({ id, type: 'add_comment' as const, config: { text: `{{$trigger.n}}-${id}` } })) }));
    const now = nowIso();
    const rows: RunsTable[] = Array.from({ length: RUNS }, (_, n) => ({
      id: newId('run'), workflow_id: wf.id, workflow_version: 1, contact_id: contacts[n % CONTACTS]!, conversation_id: null,
      event_id: newId('evt'), event_type: 'test', variables: toJson({ trigger: { n } }), status: 'queued', cursor: 0, step_log: '[]',
      wake_at: null, attempts: 0, jumps: 0, depth: 0, lease_owner: null, lease_until: null, error: null, created_at: now, updated_at: now, ended_at: null, blocked: 0,
    }));
    await services.db.insertInto('runs').values(rows).execute();
    a.app.services.runSignal.notify(); // b hears it through NOTIFY

    const until = Date.now() + 100_000;
    for (;;) {
      const { n } = await services.db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['completed', 'failed']).executeTakeFirstOrThrow();
      if (Number(n) === RUNS) break;
      if (Date.now() > until) throw new Error(`only ${n} of ${RUNS} runs ended`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const runs = await services.db.selectFrom('runs').select(['id', 'contact_id', 'status', 'step_log', 'lease_owner', 'attempts']).orderBy('id').execute();
    expect(runs.filter((r) => r.status !== 'completed')).toEqual([]);
    for (const r of runs) expect((JSON.parse(r.step_log) as { stepId: string }[]).map((e) => e.stepId)).toEqual(['a', 'b', 'c']);
    // Each run taken once: one left taken but not executed would be taken again when its lease ran out.
    expect(runs.filter((r) => r.attempts !== 1).map((r) => r.id)).toEqual([]);
    // A contact's runs one after the other, in order: each starts after the one before it ended.
    const last = new Map<string, string>();
    for (const r of runs) {
      const log = JSON.parse(r.step_log) as { startedAt: string; endedAt: string }[];
      const before = last.get(r.contact_id);
      if (before) expect(log[0]!.startedAt >= before, `${r.id} started before the run before it ended`).toBe(true);
      last.set(r.contact_id, log[2]!.endedAt);
    }
    const owners = new Set(runs.map((r) => r.lease_owner));
    expect(owners).toEqual(new Set([a.config.instanceId, b.config.instanceId]));

    const messages = await services.db.selectFrom('messages').select('text').where('kind', '=', 'comment').execute();
    expect(messages).toHaveLength(RUNS * 3);
    expect(new Set(messages.map((m) => m.text)).size).toBe(RUNS * 3);
  });

  it('once the instances know each other, each executes its own share of the contacts', async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const services = a.app.services;
    // Both have said they are alive, and both have read the other since: a beat writes its row and
    // then reads the list, so once an instance's row has moved twice after both rows existed, one
    // whole beat of it saw the other (rather than a fixed wait, which a late beat can outlast).
    const seen = async () => new Map((await sql<{ id: string; seen_ms: string }>`SELECT id, seen_ms FROM engine_peers`.execute(services.db)).rows.map((r) => [r.id, Number(r.seen_ms)]));
    const until = Date.now() + 20_000;
    const waitFor = async (done: (rows: Map<string, number>) => boolean, what: string) => {
      for (;;) {
        const rows = await seen();
        if (done(rows)) return rows;
        if (Date.now() > until) throw new Error(what);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const ids = [a.config.instanceId, b.config.instanceId];
    const both = await waitFor((rows) => ids.every((id) => rows.has(id)), 'the two instances never both registered');
    const moved = await waitFor((rows) => ids.every((id) => rows.get(id)! > both.get(id)!), 'an instance stopped beating');
    await waitFor((rows) => ids.every((id) => rows.get(id)! > moved.get(id)!), 'an instance stopped beating');

    // 20 contacts in each share, 50 runs each: each instance's share is several rounds of work, so
    // what one takes of the other's (when its own has nothing runnable) is the tail, not the whole.
    // With 10 runs a contact, one round drained a share; that instance then took most of the other
    // share while the other was still on its first claim (0.46-0.66 in 1 of 5 runs).
    const shareOf = async (id: string) => Number((await sql<{ s: number }>`SELECT (hashtext(${id}) & 2147483647) % 2 AS s`.execute(services.db)).rows[0]!.s);
    const byShare: [string[], string[]] = [[], []];
    for (let i = 0; byShare[0].length < 20 || byShare[1].length < 20; i++) {
      const id = (await insertContact(services, { firstName: `S${i}` })).contact.id;
      const share = byShare[await shareOf(id) as 0 | 1];
      if (share.length < 20) share.push(id);
    }
    const contacts = [...byShare[0], ...byShare[1]];
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment' as const, config: { text: 'share {{$trigger.n}}' } }] }));
    const now = nowIso();
    const rows: RunsTable[] = Array.from({ length: 2_000 }, (_, n) => ({
      id: newId('run'), workflow_id: wf.id, workflow_version: 1, contact_id: contacts[n % contacts.length]!, conversation_id: null,
      event_id: newId('evt'), event_type: 'test', variables: toJson({ trigger: { n } }), status: 'queued', cursor: 0, step_log: '[]',
      wake_at: null, attempts: 0, jumps: 0, depth: 0, lease_owner: null, lease_until: null, error: null, created_at: now, updated_at: now, ended_at: null, blocked: 0,
    }));
    await services.db.insertInto('runs').values(rows).execute();
    a.app.services.runSignal.notify();

    const done = Date.now() + 60_000;
    for (;;) {
      const { n } = await services.db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).where('workflow_id', '=', wf.id).where('status', '=', 'completed').executeTakeFirstOrThrow();
      if (Number(n) === rows.length) break;
      if (Date.now() > done) throw new Error(`only ${n} of ${rows.length} runs completed`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Slots follow the instances' ids in order; a contact's share is its hash modulo 2.
    const bySlot = [a.config.instanceId, b.config.instanceId].sort();
    const { rows: ran } = await sql<{ owner: string; share: number }>`
      SELECT lease_owner AS owner, (hashtext(contact_id) & 2147483647) % 2 AS share FROM runs WHERE workflow_id = ${wf.id}`.execute(services.db);
    const own = ran.filter((r) => r.owner === bySlot[Number(r.share)]).length;
    // Mostly: an instance whose share has nothing runnable and no round in flight takes any head.
    expect(own / ran.length).toBeGreaterThan(0.8);
    expect(new Set(ran.map((r) => r.owner))).toEqual(new Set(bySlot));
  });
});
