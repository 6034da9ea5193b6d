import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { LIVE_CHANNEL } from '../../server/engine/executor/pg-bridge';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { pgProxy } from '../support/pg-proxy';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';
import { freePort, killHard, runToExit, spawnServer, type ServerProcess } from '../support/process';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

// The connection that LISTENs for the other instances' notices is a session of its own, beside
// the pool (DATABASE_POOL_SIZE counts the connections queries share).
describePg('the LISTEN connection (PostgreSQL)', () => {
  let server: TestServer | undefined;
  const admin = new pg.Pool({ connectionString: pgUrl() ?? undefined, max: 1 });
  afterEach(async () => { await server?.close(); server = undefined; });

  const listenBackend = async (s: TestServer) => (await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`companion listen ${s.app.services.config.instanceId}`])).rows[0]?.pid;

  /** A message another instance relays: resolves once this instance has delivered it locally. */
  const relayedFromPeer = async (s: TestServer, version: string) => {
    const heard = new Promise<void>((resolve) => {
      const stop = s.app.services.live.watch('definitions.changed', (m) => { if (m.type === 'definitions.changed' && m.version === version) { stop(); resolve(); } });
    });
    await admin.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, JSON.stringify({ from: 'peer-instance', messages: [{ type: 'definitions.changed', version }] })]);
    await heard;
  };

  it('an instance with a pool of one connection starts, answers and runs workflows (it hung at startup)', async () => {
    server = await startTestServer({ databaseUrl: pgUrl()!, poolSize: 1 });
    const services = server.app.services;
    expect((await server.api(server.adminToken).get('/contacts')).status).toBe(200);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'pool of one' } }] }));
    const { contact } = await insertContact(services);
    const run = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    services.runSignal.notify();
    expect((await waitForRun(services.db, run)).status).toBe('completed');
    await relayedFromPeer(server, 'v-pool-of-one');
  }, 30_000);

  it('comes back when PostgreSQL drops it, and the instance hears the others again', async () => {
    server = await startTestServer({ databaseUrl: pgUrl()! });
    await relayedFromPeer(server, 'v-before');
    const pid = await listenBackend(server);
    expect(pid).toBeDefined();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const again = await waitFor('a new LISTEN connection', async () => {
      const now = await listenBackend(server!);
      return now !== undefined && now !== pid ? now : undefined;
    }, 10_000);
    expect(again).not.toBe(pid);
    await relayedFromPeer(server, 'v-after');
  }, 30_000);

  it('keeps trying while PostgreSQL refuses it, and is back once it may connect again', async () => {
    // The instance reaches PostgreSQL through a proxy that can drop every connection and refuse new ones.
    const proxy = await pgProxy();
    const via = proxy.url(pgUrl()!);
    try {
      server = await startTestServer({ databaseUrl: via.toString() });
      await relayedFromPeer(server, 'v-before-outage');
      const before = await listenBackend(server);
      proxy.outage(true);
      // Reconnects are a second apart: this outage outlasts two of them.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await listenBackend(server)).toBeUndefined();
      proxy.outage(false);
      // A NOTIFY reaches only those listening when it is sent: wait for the session to be back.
      await waitFor('the LISTEN connection after the outage', async () => {
        const now = await listenBackend(server!);
        return now !== undefined && now !== before ? now : undefined;
      }, 10_000);
      await relayedFromPeer(server, 'v-after-outage');
      // The pool came back too: the API answers and runs complete.
      expect((await server.api(server.adminToken).get('/contacts')).status).toBe(200);
      const services = server.app.services;
      const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'after the outage' } }] }));
      const { contact } = await insertContact(services);
      const run = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
      services.runSignal.notify();
      expect((await waitForRun(services.db, run)).status).toBe('completed');
    } finally {
      proxy.outage(false);
      await server?.close().catch(() => {});
      server = undefined;
      await proxy.close();
    }
  }, 30_000);
});

// The whole process, as `npm start` runs it: PostgreSQL going away for a moment (a restart, a
// failover) ended it, because a pooled connection's loss is an 'error' event nobody heard.
describePg('the companion when PostgreSQL drops its connections (PostgreSQL)', () => {
  const ADMIN = 'ict_connection_loss_admin_token_0123456789abc';
  const schema = freshSchemaName();
  let proxy: Awaited<ReturnType<typeof pgProxy>>;
  let instance: ServerProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl()! });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    proxy = await pgProxy();
    const url = proxy.url(pgUrl()!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    dataDir = await mkdtemp(path.join(tmpdir(), 'companion-loss-'));
    instance = await spawnServer({ DATABASE_URL: url.toString(), DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN }, await freePort());
  });

  afterAll(async () => {
    if (instance) await killHard(instance);
    await proxy?.close();
    await dropSchema(pgUrl()!, schema);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stays up through the outage, and afterwards answers and runs what it accepts', async () => {
    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${instance!.url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() as any };
    };
    const wf = await api('POST', '/workflows', {
      name: 'After the outage', trigger: { type: 'incoming_webhook', identifier: { type: 'email', jsonKey: '$.email' } },
      steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['seen'] } }],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    expect((await api('POST', `/workflows/${wf.body.id}/publish`)).status).toBe(200);
    expect((await api('POST', '/contacts', { firstName: 'Back', email: 'back@example.com' })).status).toBe(201);
    // Connections idle in the pool and the LISTEN session, all cut at once, and refused for a while.
    proxy.outage(true);
    const hook = new URL(wf.body.trigger.url).pathname;
    const deliver = () => fetch(`${instance!.url}${hook}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'back@example.com' }) });
    // Meanwhile a sender is told to come back (503 and when), not that the companion broke (500).
    const during = await deliver();
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('5');
    expect((await during.json() as any).error.code).toBe('database_unavailable');
    expect((await api('GET', '/contacts')).status).toBe(503);
    // As long as a restart takes: every periodic pass (peers' beat, lease renewal, sweeps) meets it.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(instance!.child.exitCode, instance!.output()).toBeNull();
    proxy.outage(false);
    const delivered = await waitFor('a webhook accepted after the outage', async () => {
      const res = await deliver();
      return res.status === 202 ? res.json() as Promise<{ runIds: string[] }> : undefined;
    }, 15_000);
    const runId = delivered.runIds[0]!;
    await waitFor('its run to complete', async () => ((await api('GET', `/runs/${runId}`)).body.status === 'completed' ? true : undefined), 15_000);
    expect(instance!.child.exitCode).toBeNull();
    expect(instance!.output()).toMatch(/PostgreSQL dropped a connection/);
  }, 60_000);

  it('loses nothing it acknowledged when the outage comes while runs are executing', async () => {
    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${instance!.url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() as any };
    };
    const contacts = Array.from({ length: 20 }, (_, i) => `burst${i}@example.com`);
    for (const email of contacts) expect((await api('POST', '/contacts', { firstName: 'Burst', email })).status).toBe(201);
    expect((await api('PUT', '/fields/last', { label: 'Last', type: 'text' })).status).toBe(200);
    const wf = await api('POST', '/workflows', {
      name: 'Burst', trigger: { type: 'incoming_webhook', identifier: { type: 'email', jsonKey: '$.email' }, mappings: [{ jsonKey: '$.n', variable: 'n' }] },
      steps: [
        { id: 'a', type: 'update_contact_field', config: { field: 'last', value: '{{$trigger.n}}' } },
        { id: 'b', type: 'update_contact_tag', config: { action: 'add', tags: ['burst'] } },
      ],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const published = await api('POST', `/workflows/${wf.body.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const hook = `${instance!.url}${new URL(wf.body.trigger.url).pathname}`;
    // A sender as webhook senders are: a delivery answered 503 is sent again, with the same key,
    // until it is acknowledged. The outage comes halfway through, while runs are executing.
    const accepted: string[] = [];
    const refused = { n: 0 };
    let next = 0;
    let restored: Promise<void> | undefined;
    let unfinishedAtCut: Promise<number> | undefined;
    const direct = new pg.Client({ connectionString: pgUrl()! });
    await direct.connect();
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < 2_000) {
        const n = next++;
        for (;;) {
          const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `burst-${n}` }, body: JSON.stringify({ email: contacts[n % contacts.length], n }) });
          if (res.status === 202) { accepted.push(...((await res.json()) as { runIds: string[] }).runIds); break; }
          expect(res.status).toBe(503);
          refused.n++;
          await new Promise((r) => setTimeout(r, 100));
        }
        if (accepted.length >= 1_000 && !restored) {
          proxy.outage(true);
          restored = new Promise((r) => setTimeout(r, 1_000)).then(() => proxy.outage(false));
          // Not through the proxy: how much was still to run when the connections went.
          unfinishedAtCut = direct.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".runs WHERE workflow_id = $1 AND status <> 'completed'`, [wf.body.id]).then((r) => r.rows[0]!.n);
        }
      }
    }));
    await restored;
    expect(refused.n).toBeGreaterThan(0);
    expect(await unfinishedAtCut).toBeGreaterThan(0);
    await direct.end();
    expect(instance!.child.exitCode, instance!.output()).toBeNull();
    const db = new pg.Client({ connectionString: pgUrl()! });
    await db.connect();
    try {
      // A round cut mid-transaction leaves its runs leased: they resume when the lease (30 s) runs out.
      const statuses = await waitFor('every acknowledged run to complete', async () => {
        const { rows } = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM "${schema}".runs WHERE workflow_id = $1 GROUP BY status`, [wf.body.id]);
        return rows.length === 1 && rows[0]!.status === 'completed' && rows[0]!.n === new Set(accepted).size ? rows : undefined;
      }, 50_000);
      expect(statuses).toEqual([{ status: 'completed', n: 2_000 }]);
      expect(new Set(accepted).size).toBe(2_000);
      // One run per delivery: a retry of a delivery stored before its answer was lost found its key.
      const { rows: perDelivery } = await db.query<{ n: string; runs: number }>(`SELECT variables::json->'trigger'->>'n' AS n, count(*)::int AS runs FROM "${schema}".runs WHERE workflow_id = $1 GROUP BY 1`, [wf.body.id]);
      expect(perDelivery.length).toBe(2_000);
      expect(perDelivery.every((d) => d.runs === 1)).toBe(true);
      // Each run did each step once: one entry per step in its log.
      const { rows: logs } = await db.query<{ steps: number }>(`SELECT json_array_length(step_log::json) AS steps FROM "${schema}".runs WHERE workflow_id = $1`, [wf.body.id]);
      expect(logs.every((l) => l.steps === 2)).toBe(true);
    } finally {
      await db.end();
    }
  }, 90_000);
});

// `npm start` beside a database that is still starting (containers started together), or that
// is not the one DATABASE_URL names.
describePg('starting the companion before PostgreSQL is ready (PostgreSQL)', () => {
  it('waits while PostgreSQL refuses connections, saying so, and serves once it accepts them', async () => {
    const proxy = await pgProxy();
    const schema = freshSchemaName();
    const url = proxy.url(pgUrl()!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-wait-'));
    proxy.outage(true);
    const opened = setTimeout(() => proxy.outage(false), 3_000);
    let instance: ServerProcess | undefined;
    try {
      const admin = new pg.Client({ connectionString: pgUrl()! });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await admin.end();
      // spawnServer returns once /healthz answers, and fails if the process exits first.
      instance = await spawnServer({ DATABASE_URL: url.toString(), DATA_DIR: dataDir }, await freePort());
      expect(instance.output()).toMatch(/PostgreSQL is not reachable at 127\.0\.0\.1:\d+ \([^)]+\): start it, or fix the host and port in DATABASE_URL; trying again in 2 s/);
      expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
    } finally {
      clearTimeout(opened);
      if (instance) await killHard(instance);
      await proxy.close();
      await dropSchema(pgUrl()!, schema);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('stops at once with one line that says what to fix when DATABASE_URL asks for TLS the server does not speak', async () => {
    const url = new URL(pgUrl()!);
    url.searchParams.set('sslmode', 'require');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-tls-'));
    try {
      const { code, out } = await runToExit({ DATABASE_URL: url.toString(), DATA_DIR: dataDir, PORT: String(await freePort()) });
      expect(code).toBe(1);
      // pg's own deprecation warning about sslmode may come first; the last line is ours. A test
      // server with TLS on (Debian's default cluster: a self-signed certificate) is the other case.
      const admin = new pg.Client({ connectionString: pgUrl()! });
      await admin.connect();
      const tls = (await admin.query<{ ssl: string }>('SHOW ssl')).rows[0]!.ssl === 'on';
      await admin.end();
      expect(out.split('\n').at(-1)).toMatch(tls
        ? /^Inbox Companion did not start: PostgreSQL's TLS certificate at [^ ]+ is not trusted \([A-Z_]+\): give its CA in DATABASE_URL/
        : /^Inbox Companion did not start: PostgreSQL at [^ ]+ does not accept TLS, but DATABASE_URL asks for it \(sslmode\): remove sslmode from DATABASE_URL, or turn ssl on in postgresql\.conf$/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('stops at once with one line that says what to fix when the database does not exist', async () => {
    const url = new URL(pgUrl()!);
    url.pathname = '/companion_no_such_database';
    const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-nodb-'));
    try {
      const { code, out } = await runToExit({ DATABASE_URL: url.toString(), DATA_DIR: dataDir, PORT: String(await freePort()) });
      expect(code).toBe(1);
      expect(out).toMatch(/^Inbox Companion did not start: PostgreSQL at [^ ]+ has no database "companion_no_such_database": create it \(createdb companion_no_such_database\), or fix the database name in DATABASE_URL$/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
