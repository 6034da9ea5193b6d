import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Search ignores the case of every letter ("muñoz" finds "MUÑOZ"), as Chatwoot's and respond.io's
// do; accents stay significant, as in Chatwoot. Text columns are COLLATE "C" (migration 066), under
// which ILIKE folds A–Z only, so search matches under this collation instead (store/contains-text.ts).
// ICU's root locale lowercases as JavaScript does, final sigma included, which is SQLite's fold;
// ICU is in every common build (Debian/Ubuntu, Docker, RDS, Cloud SQL; required from 16 on). A
// server built without it: the database's own ctype, which folds Unicode unless it is C/POSIX.
export const searchFold: Migration = {
  async up(db: Kysely<any>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    const icu = await sql<{ ok: number }>`SELECT 1 AS ok FROM pg_collation WHERE collname = 'und-x-icu'`.execute(db);
    if (icu.rows.length) {
      await sql`CREATE COLLATION search_fold FROM "und-x-icu"`.execute(db);
      return;
    }
    const { rows } = await sql<{ ctype: string }>`SELECT datctype AS ctype FROM pg_database WHERE datname = current_database()`.execute(db);
    await sql`CREATE COLLATION search_fold (provider = libc, locale = ${sql.lit(rows[0]?.ctype ?? 'C')})`.execute(db);
  },
};
