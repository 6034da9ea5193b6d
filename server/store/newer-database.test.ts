import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../http/trust-proxy';
import { migrate, openStore } from './database';
import { migrations } from './migrations/index';

const ours = Object.keys(migrations).sort().at(-1)!;

// The start's own line is tested through `npm start` (test/integration/hardening/newer-database*).
describe('migrate() on a database with migrations this release does not know', () => {
  it.each([
    ['a newer release', ['999-from-a-newer-release'], `the database was upgraded by a newer release: it is at 999-from-a-newer-release, and this release knows migrations up to ${ours}; nothing was changed. Start the newer release, or restore the backup taken before the upgrade (with its secret key) to run this one`],
    ['another build', ['050a-from-a-branch', '050b-from-a-branch'], `the database was migrated by another build (050a-from-a-branch, 050b-from-a-branch are not in this release): it is at ${ours}, and this release knows migrations up to ${ours}; nothing was changed. Start the build that migrated it, or restore the backup taken before it did`],
  ])('%s: refused with one line, the executed list left as it was', async (_, names, message) => {
    const store = await openStore({ sqliteFile: ':memory:' });
    try {
      for (const name of names) await sql`insert into kysely_migration (name, timestamp) values (${name}, '2030-01-01T00:00:00.000Z')`.execute(store.db);
      const refused = await migrate(store.db).then(() => undefined, (err: unknown) => err);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toBe(message);
      const count = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(store.db);
      expect(count.rows[0]!.n).toBe(Object.keys(migrations).length + names.length);
    } finally {
      await store.close();
    }
  });

  it('a fresh database and an up-to-date one migrate as before', async () => {
    const store = await openStore({ sqliteFile: ':memory:' });
    try {
      expect(store.migrated).toEqual({ applied: Object.keys(migrations).length, latest: ours });
      expect(await migrate(store.db)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
