import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/server';
import { openStore } from '../../server/store/database';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';

// Two instances started at the same moment on an empty PostgreSQL database, the demo on (the
// default): both come up, and the workspace is created once.
describePg('instances started together on an empty PostgreSQL database', () => {
  const url = pgUrl()!;
  const schema = freshSchemaName();
  const instances: RunningServer[] = [];
  let dataDir: string;
  const KEY = Buffer.alloc(32, 9).toString('base64');

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'companion-pg-bootstrap-'));
  });

  afterAll(async () => {
    for (const s of instances) { await s.close(); await s.store.close(); }
    await dropSchema(url, schema);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('both start; one admin, one demo workspace', async () => {
    const start = async (i: number) => {
      const store = await openStore({ databaseUrl: url, pgSchema: schema, poolSize: 4 });
      // Each its own DATA_DIR, so the same COMPANION_SECRET_KEY (key-check.ts refuses another key).
      return startServer({ env: { COMPANION_SECRET_KEY: KEY }, config: { port: 0, dataDir: path.join(dataDir, String(i)) }, logger: false, listen: false, store });
    };
    const started = await Promise.allSettled([start(0), start(1)]);
    for (const s of started) if (s.status === 'fulfilled') instances.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up']);

    const db = instances[0]!.app.services.db;
    const users = await db.selectFrom('users').select(['email', 'role']).orderBy('email').execute();
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
    expect(users.filter((u) => u.email === 'ava@demo.local')).toHaveLength(1);
    const contacts = await db.selectFrom('contacts').select('phone').where('phone', '=', '+34600111222').execute();
    expect(contacts).toHaveLength(1);
    // The instance that found the workspace made prints no tokens it did not create.
    expect(instances.filter((s) => s.tokens.demo).length).toBe(1);
  });
});
