import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../../support/postgres';
import { newerDatabaseSuite } from './newer-database-suite';

describePg('a PostgreSQL database migrated by a newer release', () => {
  const schema = freshSchemaName();
  let dataDir: string;
  let databaseUrl: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'companion-newer-pg-'));
    const url = new URL(pgUrl()!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
    const client = new pg.Client({ connectionString: pgUrl()! });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
  });
  afterAll(async () => {
    await dropSchema(pgUrl()!, schema);
    await rm(dataDir, { recursive: true, force: true });
  });
  const rows = async (query: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(query)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  newerDatabaseSuite(() => ({
    env: () => ({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl }),
    rows,
    tables: async () => (await rows(`select table_name from information_schema.tables where table_schema = '${schema}' and table_type = 'BASE TABLE'`)).map((r) => String(r.table_name)),
  }));
});
