import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LiveMessage } from '../../lib/contracts/events';
import { newId, nowIso } from '../../server/ids';
import { startServer, type RunningServer } from '../../server/server';
import { openStore, toJson } from '../../server/store/database';
import type { RunsTable } from '../../server/store/schema';
import { insertContact, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';

const RUNS = 1_000;
const CONTACTS = 100;

describePg('run executor on PostgreSQL with two instances', () => {
  const url = pgUrl()!;
  const schema = freshSchemaName();
  const instances: RunningServer[] = [];
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'companion-pg-engine-'));
    // Started one after the other: the first bootstraps the schema.
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ databaseUrl: url, pgSchema: schema, poolSize: 8 });
      instances.push(await startServer({ env: { COMPANION_DEMO: '0' }, config: { port: 0, dataDir }, logger: false, listen: false, store }));
    }
  });

  afterAll(async () => {
    for (const s of instances) { await s.close(); await s.store.close(); }
    await dropSchema(url, schema);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('carries live messages from one instance to the other', async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const heard = new Promise<LiveMessage>((resolve) => {
      const off = b.app.services.live.subscribe((m) => { if (m.type === 'run.updated' && m.runId === 'run_relay') { off(); resolve(m); } });
    });
    a.app.services.live.publish({ type: 'run.updated', runId: 'run_relay', workflowId: 'wf', status: 'completed' });
    expect(await heard).toMatchObject({ runId: 'run_relay', status: 'completed' });
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
});
