import type pg from 'pg';

/**
 * Lets PostgreSQL parse and plan each hot statement once per connection instead of on every
 * call. Kysely sends every query unnamed, so PostgreSQL parses and plans it each time: in a run
 * round, planning cost more than executing (the trigger-index join: ~60 µs of planning for
 * ~5 µs of work). A parameterised SQL text seen a second time gets a name, and from then on
 * goes out as a named prepared statement (pg's `{ name, text, values }`): parsed once per
 * connection, its plan cached by the server.
 *
 * Bounded: at most `maxNames` texts are named (batch inserts of every row count would
 * otherwise grow the server's per-connection statement cache without end); the rest stay
 * unnamed. Parameterless texts are named only when they are one plain query (a migration's
 * several statements, BEGIN/COMMIT keep pg's simple protocol). If a
 * schema change makes a prepared statement's result type stale (SQLSTATE 0A000, "cached plan
 * must not change result type", another instance migrating), that text goes back to unnamed
 * (and a query outside a transaction is sent again at once).
 */
const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
const END = /^\s*(commit|rollback|end|abort)\b/i;
// One SELECT/INSERT/UPDATE/DELETE/WITH, no second statement after a semicolon.
const SINGLE_QUERY = /^\s*(select|insert|update|delete|with)\b[^;]*$/i;

export function namePreparedStatements(pool: pg.Pool, maxNames = 1_000): void {
  // A text's count until it is named, then its name; '' = never name it again.
  const seen = new Map<string, number | string>();
  let names = 0;
  const nameOf = (text: string): string | undefined => {
    const known = seen.get(text);
    if (typeof known === 'string') return known || undefined;
    if (known === undefined) {
      if (seen.size < maxNames * 4) seen.set(text, 1);
      return undefined;
    }
    if (names >= maxNames) return undefined;
    const name = `ic_${++names}`;
    seen.set(text, name);
    return name;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // Kysely opens and ends transactions with plain BEGIN / COMMIT / ROLLBACK texts.
    let inTransaction = false;
    (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof config === 'string') {
        if (BEGIN.test(config)) inTransaction = true;
        else if (END.test(config)) inTransaction = false;
      }
      if (typeof config === 'string' && Array.isArray(values) && callback === undefined && (values.length > 0 || SINGLE_QUERY.test(config))) {
        const name = nameOf(config);
        if (name) {
          return (query({ name, text: config, values }) as Promise<unknown>).catch((err: { code?: string }) => {
            if (err?.code !== '0A000') throw err;
            seen.set(config, '');
            // Outside a transaction nothing was aborted: send it again, unnamed. Inside, the
            // transaction has failed either way; the caller's retry goes unnamed.
            if (inTransaction) throw err;
            return query(config, values);
          });
        }
      }
      return callback === undefined ? query(config, values) : query(config, values, callback);
    };
  });
}
