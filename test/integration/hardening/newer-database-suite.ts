import { expect, it } from 'vitest';
import { migrations } from '../../../server/store/migrations/index';
import { didNotStart, startAttempt } from '../../support/start-attempt';

/** A database the server is started on, reached directly while no server runs on it. */
export interface StoppedDatabase {
  /** What a start on it needs: DATA_DIR, and DATABASE_URL on PostgreSQL. */
  env(): Record<string, string>;
  /** The tables of the server's schema. */
  tables(): Promise<string[]>;
  rows(query: string): Promise<Record<string, unknown>[]>;
}

/** Every row of every table, each table's rows in a stable order: equal before and after means nothing was written. */
async function contents(db: StoppedDatabase): Promise<Record<string, string[]>> {
  const all: Record<string, string[]> = {};
  for (const table of (await db.tables()).sort()) all[table] = (await db.rows(`select * from ${table}`)).map((r) => JSON.stringify(r)).sort();
  return all;
}

// A downgrade, or an older instance started beside newer ones on PostgreSQL, died with Kysely's
// uncaught "corrupted migrations: previously executed migration … is missing" and its stack. It is
// one line now, like the other start refusals, and the database is left as it was.
export function newerDatabaseSuite(database: () => StoppedDatabase) {
  it('a database a newer release migrated: the start stops with one line naming both versions and the ways out, and writes nothing', async () => {
    const db = database();
    const first = await startAttempt({ ...db.env(), COMPANION_DEMO: '1' });
    if (!first.started) throw new Error(`the first start failed:\n${first.out}`);
    await first.stop('SIGTERM');
    // What the next release's migration leaves in Kysely's table.
    await db.rows(`insert into kysely_migration (name, timestamp) values ('999-from-a-newer-release', '2030-01-01T00:00:00.000Z')`);
    const before = await contents(db);
    expect(before.kysely_migration!.some((row) => row.includes('999-from-a-newer-release'))).toBe(true);

    const refused = await startAttempt(db.env());
    if (refused.started) await refused.stop();
    const ours = Object.keys(migrations).sort().at(-1);
    expect(refused).toMatchObject({
      started: false, code: 1,
      out: didNotStart(`the database was upgraded by a newer release: it is at 999-from-a-newer-release, and this release knows migrations up to ${ours}; nothing was changed. Start the newer release, or restore the backup taken before the upgrade (with its secret key) to run this one`),
    });
    expect(await contents(db)).toEqual(before);
  }, 60_000);
}
