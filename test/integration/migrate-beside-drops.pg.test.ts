import pg from 'pg';
import { expect, it } from 'vitest';
import { openStore } from '../../server/store/database';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';

// Kysely's migrator looks for its tables by reading every schema's tables in the database and
// naming each schema again; another app (or instance, or test) dropping its schema at that moment
// failed the start with "schema … does not exist" about a schema that was not ours.

describePg('migrating while other schemas of the database are dropped', () => {
  it('starts every time', async () => {
    const databaseUrl = pgUrl()!;
    // Schemas of many tables, dropped by three sessions without pause: each read of the catalogue
    // meets drops in flight.
    const tables = (name: string) => Array.from({ length: 30 }, (_, t) => `CREATE TABLE "${name}".t${t} (a int, b text, c int, d text)`).join('; ');
    const churners = await Promise.all([0, 1, 2].map(async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      return c;
    }));
    let stop = false;
    const churning = Promise.all(churners.map(async (churn, k) => {
      for (let i = 0; !stop; i++) {
        const name = `churn_${process.pid}_${k}_${i}`;
        await churn.query(`CREATE SCHEMA "${name}"; ${tables(name)}`);
        await churn.query(`DROP SCHEMA "${name}" CASCADE`);
      }
    }));
    const failures: string[] = [];
    try {
      for (let i = 0; i < 15; i++) {
        const schema = freshSchemaName();
        try {
          const store = await openStore({ databaseUrl, pgSchema: schema });
          await store.close();
        } catch (err) {
          failures.push((err as Error).message);
        } finally {
          await dropSchema(databaseUrl, schema);
        }
      }
    } finally {
      stop = true;
      await churning;
      await Promise.all(churners.map((c) => c.end()));
    }
    expect(failures).toEqual([]);
  });
});
