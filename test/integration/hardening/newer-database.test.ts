import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { newerDatabaseSuite } from './newer-database-suite';

describe('a SQLite database migrated by a newer release', () => {
  let dataDir: string;
  beforeAll(async () => { dataDir = await mkdtemp(path.join(tmpdir(), 'companion-newer-db-')); });
  afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });
  const rows = (query: string) => {
    const db = new DatabaseSync(path.join(dataDir, 'companion.sqlite'));
    try {
      const stmt = db.prepare(query);
      return Promise.resolve(stmt.columns().length > 0 ? stmt.all().map((r) => ({ ...r })) : (stmt.run(), []));
    } finally {
      db.close();
    }
  };
  newerDatabaseSuite(() => ({
    env: () => ({ DATA_DIR: dataDir }),
    rows,
    tables: async () => (await rows(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)).map((r) => String(r.name)),
  }));
});
