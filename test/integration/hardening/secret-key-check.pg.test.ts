import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../../support/postgres';
import { LOST_KEY_WAY_OUT } from '../../../server/secrets/key-check';
import { didNotStart, startAttempt } from '../../support/start-attempt';

// A second instance on the same PostgreSQL database with a DATA_DIR of its own: it made a new
// secret-key silently, started, and answered 500 on every workflow read. Now it stops, saying which
// key the data needs; given it (COMPANION_SECRET_KEY), it starts and reads everything.
describePg('a second instance on one PostgreSQL database, with another DATA_DIR', () => {
  const schema = freshSchemaName();
  let root: string;
  let databaseUrl: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'companion-pg-key-'));
    const client = new pg.Client({ connectionString: pgUrl()! });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    const url = new URL(pgUrl()!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
  });
  afterAll(async () => {
    await dropSchema(pgUrl()!, schema);
    await rm(root, { recursive: true, force: true });
  });

  it('stops without the first instance\'s key, and starts with it as COMPANION_SECRET_KEY', async () => {
    const first = await startAttempt({ DATABASE_URL: databaseUrl, DATA_DIR: path.join(root, 'a'), COMPANION_DEMO: '1' });
    if (!first.started) throw new Error(`the first instance did not start:\n${first.out}`);
    try {
      const second = path.join(root, 'b');
      const file = path.join(second, 'secret-key');
      const refused = await startAttempt({ DATABASE_URL: databaseUrl, DATA_DIR: second });
      if (refused.started) await refused.stop();
      expect(refused).toMatchObject({
        started: false, code: 1,
        out: didNotStart(`the database holds credentials sealed with a secret key, and this server has none (${file} is missing, COMPANION_SECRET_KEY is unset); no new key is made while sealed data exists. Start with the secret-key file of the DATA_DIR that first started with this database (copy it to ${file}), or the COMPANION_SECRET_KEY it was started with; every instance on one database needs the same key (COMPANION_SECRET_KEY). ${LOST_KEY_WAY_OUT}`),
      });
      expect(existsSync(file)).toBe(false);

      const key = (await readFile(path.join(root, 'a', 'secret-key'), 'utf8')).trim();
      const started = await startAttempt({ DATABASE_URL: databaseUrl, DATA_DIR: second, COMPANION_SECRET_KEY: key });
      if (!started.started) throw new Error(`the second instance did not start with the key:\n${started.out}`);
      try {
        const headers = { authorization: `Bearer ${(await readFile(path.join(root, 'a', 'admin-token'), 'utf8')).trim()}` };
        const list = await fetch(`${started.url}/api/v1/workflows`, { headers });
        expect(list.status).toBe(200);
        const hook = ((await list.json()) as { workflows: { id: string; name: string; trigger: { url?: string } }[] }).workflows.find((w) => w.name === 'Order shipped')!;
        expect(hook.trigger.url).toMatch(/\/hooks\/[\w-]+$/);
        expect((await fetch(`${started.url}/api/v1/workflows/${hook.id}`, { headers })).status).toBe(200);
      } finally {
        await started.stop();
      }
    } finally {
      await first.stop();
    }
  }, 90_000);
});
