import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNginx, startNginx, type Nginx } from '../support/nginx';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';
import { freePort, killHard, spawnServer, type ServerProcess } from '../support/process';

// The README's scale-out setup, for real: two companion processes on one PostgreSQL behind
// nginx; 1,000 webhooks sent to nginx land on both, and every acknowledged one becomes exactly
// one run, completed once (its step logged once), whichever instance executed it.

const HOOKS = 1_000;
const CONTACTS = 50;
const ADMIN = 'ict_scale-out-admin-token-00000000000000000000';
const nginx = findNginx();
const inCi = process.env.CI === 'true' || process.env.CI === '1';

function withNginx(name: string, body: () => void) {
  if (nginx) return describePg(name, body);
  // CI installs nginx (.ci/run): its absence there is a broken run, elsewhere a skip.
  if (inCi) return describe(name, () => { it('has nginx installed (CI=true)', () => { throw new Error('nginx is not installed; .ci/run installs it'); }); });
  return describe.skip(`${name} (skipped: nginx is not installed)`, body);
}

withNginx('two instances behind nginx on one PostgreSQL', () => {
  const schema = freshSchemaName();
  const instances: ServerProcess[] = [];
  let balancer: Nginx;
  let dataDir: string;
  let db: pg.Client;

  beforeAll(async () => {
    const url = pgUrl()!;
    db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(`CREATE SCHEMA "${schema}"`);
    const schemaUrl = new URL(url);
    schemaUrl.searchParams.set('options', `-c search_path=${schema}`);
    dataDir = await mkdtemp(path.join(tmpdir(), 'companion-scale-'));
    // One after the other: the first migrates the schema.
    for (let i = 0; i < 2; i++) {
      instances.push(await spawnServer({ DATABASE_URL: schemaUrl.toString(), DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000' }, await freePort()));
    }
    balancer = await startNginx(nginx!, instances.map((s) => new URL(s.url).host));
  });

  afterAll(async () => {
    await balancer?.stop();
    for (const s of instances) await killHard(s);
    await db?.end();
    await dropSchema(pgUrl()!, schema);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('1,000 webhooks spread over both instances: each acknowledged delivery is exactly one completed run', async () => {
    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${balancer.url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await res.json() as any;
      expect(res.status, JSON.stringify(json)).toBeLessThan(300);
      return json;
    };
    await api('PUT', '/fields/order_id', { label: 'Order', type: 'text' });
    const phone = (i: number) => `+1415557${String(i).padStart(4, '0')}`;
    for (let i = 0; i < CONTACTS; i++) await api('POST', '/contacts', { firstName: `C${i}`, phone: phone(i) });
    const wf = await api('POST', '/workflows', {
      name: 'scale out', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order', variable: 'order' }] },
      steps: [
        { id: 'field', type: 'update_contact_field', config: { field: 'order_id', value: '{{$trigger.order}}' } },
        { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['ordered'] } },
      ],
    });
    await api('POST', `/workflows/${wf.id}/publish`);
    const hook = `${balancer.url}${new URL(wf.trigger.url).pathname}`;

    const runIds: string[] = [];
    const upstreams = new Map<string, number>();
    let next = 0;
    const sender = async () => {
      for (let i = next++; i < HOOKS; i = next++) {
        const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: phone(i % CONTACTS), order: `A-${i}` }) });
        const body = await res.json() as { runIds: string[] };
        expect(res.status, JSON.stringify(body)).toBe(202);
        runIds.push(...body.runIds);
        const upstream = res.headers.get('x-upstream') ?? '?';
        upstreams.set(upstream, (upstreams.get(upstream) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));

    // nginx spread the deliveries over both instances (round robin).
    expect([...upstreams.keys()].sort()).toEqual(instances.map((s) => new URL(s.url).host).sort());
    for (const n of upstreams.values()) expect(n).toBeGreaterThan(HOOKS / 4);
    expect(runIds).toHaveLength(HOOKS);
    expect(new Set(runIds).size).toBe(HOOKS);

    const q = (text: string, params: unknown[] = []) => db.query(text.replaceAll('runs', `"${schema}".runs`), params);
    const until = Date.now() + 90_000;
    for (;;) {
      const { rows } = await q("SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status = 'completed'", [wf.id]);
      if (rows[0].n >= HOOKS) break;
      if (Date.now() > until) throw new Error(`only ${rows[0].n} of ${HOOKS} runs completed`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const { rows } = await q('SELECT id, status, step_log, lease_owner FROM runs WHERE workflow_id = $1', [wf.id]);
    expect(rows).toHaveLength(HOOKS);
    expect(rows.map((r) => r.id).sort()).toEqual([...runIds].sort());
    for (const r of rows) {
      expect(r.status).toBe('completed');
      expect((JSON.parse(r.step_log) as { stepId: string }[]).map((e) => e.stepId)).toEqual(['field', 'tag']);
    }
    // Which instance executed what is the claims' business; every run was executed by one of the two.
    expect(new Set(rows.map((r) => r.lease_owner)).size).toBeGreaterThanOrEqual(1);
    expect(new Set(rows.map((r) => r.lease_owner)).size).toBeLessThanOrEqual(2);
  });
});
