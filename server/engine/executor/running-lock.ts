import pg from 'pg';

/**
 * PostgreSQL: every instance running on the database, whether it executes runs or only serves
 * requests (COMPANION_WORKERS=0, which engine_peers never hears of), holds a shared advisory lock
 * on its LISTEN session for as long as it runs; a crash ends the session and the lock with it.
 * Keyed by the schema, so deployments in other schemas of one database (the tests') are apart.
 * npm run forget-secrets reads who holds it: each such server still has the key it would forget.
 */
const RUNNING_CLASS = 0x69637275; // 'icru'

/** Taken by the bridge's LISTEN session (pg-bridge.ts) once it is connected. */
export async function holdRunning(session: pg.Client): Promise<void> {
  await session.query('SELECT pg_advisory_lock_shared($1, hashtext(current_schema()))', [RUNNING_CLASS]);
}

/** An instance running on the database, as an operator finds it to stop it: `where` is `from <address>` or `on the database's machine…`. */
export interface RunningInstance { id: string; where?: string }

/**
 * The instances running on this database and schema: each one's id (its LISTEN session's name,
 * `<pid>-<random>`) and the address it connects from, so that an operator with instances on several
 * machines knows which process to stop (the id alone named a pid without its machine).
 */
export async function runningInstances(db: pg.Pool): Promise<RunningInstance[]> {
  // client_port is -1 for a Unix socket; both are null where this role may not see them (another role's session).
  const { rows } = await db.query<{ name: string; addr: string | null; port: number | null }>(`SELECT coalesce(a.application_name, '') AS name, host(a.client_addr) AS addr, a.client_port AS port
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = $1::bigint::oid AND l.objid = (hashtext(current_schema())::bigint & 4294967295)::oid AND l.objsubid = 2
    ORDER BY l.pid`, [RUNNING_CLASS]);
  return rows.map((r, i) => {
    const where = r.addr ? `from ${r.addr}` : r.port === -1 ? 'on the database\'s machine, over its Unix socket' : undefined;
    return { id: r.name.replace(/^companion listen /, '') || `instance ${i + 1}`, ...(where ? { where } : {}) };
  });
}
