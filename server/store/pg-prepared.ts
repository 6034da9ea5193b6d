import type pg from 'pg';
import { withArrayLiterals } from './pg-array-literal';
import { sendPipelined, type Parsed } from './pg-pipeline';
import type { StoreCounters } from './sqlite-adapter';

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
 * unnamed. Parameterless texts are named only when they are one plain query or a BEGIN (a
 * migration's several statements, COMMIT and ROLLBACK keep pg's simple protocol). If a
 * schema change makes a prepared statement's result type stale (SQLSTATE 0A000, "cached plan
 * must not change result type", another instance migrating), that text goes back to unnamed
 * (and a query outside a transaction is sent again at once).
 *
 * Fewer round trips: a transaction's BEGIN, once prepared on the connection, is not sent on its
 * own but ahead of the transaction's first statement, in the same write (pg-pipeline.ts); so are
 * statements marked DEFERRED, ahead of the next statement or the COMMIT. A run round went from
 * about ten round trips to six or seven.
 */
const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
// Not ROLLBACK TO SAVEPOINT: the transaction goes on after it (a contact import undoes one row so).
const END = /^\s*(commit|end|abort|rollback(?!\s+(?:transaction\s+|work\s+)?to\b))\b/i;
// One SELECT/INSERT/UPDATE/DELETE/WITH, no second statement after a semicolon.
const SINGLE_QUERY = /^\s*(select|insert|update|delete|with)\b[^;]*$/i;

/**
 * Marks a statement inside a transaction whose result its caller does not read (its promise
 * resolves at once, with no rows): it goes out with the next statement that is sent, often the
 * COMMIT, in the same write. Its error, if any, is that next statement's error, and the
 * transaction has failed as it would have at once. SQLite reads it as a comment.
 */
export const DEFERRED = '/*deferred*/';

// The 0A000s of statements this file named: another instance's migration, not a feature PostgreSQL lacks.
const stalePlans = new WeakSet<object>();
/** A named statement's plan went stale (a schema change elsewhere): its transaction failed; done again, it goes unnamed. */
export const isStalePlan = (err: unknown): boolean => typeof err === 'object' && err !== null && stalePlans.has(err);

export function namePreparedStatements(pool: pg.Pool, counters?: StoreCounters, maxNames = 1_000): void {
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
    const connection = (client as unknown as { connection: { parsedStatements: Record<string, string>; on(event: 'readyForQuery', f: () => void): void } }).connection;
    const parsed = connection.parsedStatements;
    if (counters) connection.on('readyForQuery', () => { counters.roundTrips = (counters.roundTrips ?? 0) + 1; });
    // Kysely opens and ends transactions with plain BEGIN / COMMIT / ROLLBACK texts.
    let inTransaction = false;
    // Statements whose results nobody waits for, not sent yet: they go ahead of the next statement
    // that is sent (one write, one round trip). `beginPending`: the first is the transaction's
    // BEGIN, so nothing of the transaction has gone out.
    let pending: Parsed[] = [];
    let beginPending = false;

    const unname = (text: string) => { if (typeof seen.get(text) === 'string') seen.set(text, ''); };
    const send = (text: string, values: unknown[], name: string | undefined): Promise<unknown> => {
      const before = pending;
      pending = [];
      beginPending = false;
      if (before.length > 0 && !(values.length > 0 || SINGLE_QUERY.test(text) || END.test(text))) {
        // Several statements in one text cannot go through the extended protocol: those ahead first.
        const last = before.pop()!;
        return sendPipelined(query, before, last.text, last.values, last.name).then(() => send(text, values, name));
      }
      const sent = before.length > 0
        ? sendPipelined(query, before, text, values, name)
        : name ? query({ name, text, values }) as Promise<unknown> : query(text, values) as Promise<unknown>;
      if (!name && before.length === 0) return sent;
      return sent.catch((err: { code?: string }) => {
        if (err?.code !== '0A000') throw err;
        stalePlans.add(err);
        // Which of the statements went stale is not said: none of them is named again (but BEGIN,
        // which returns nothing and so cannot go stale, and keeps going ahead of transactions).
        for (const t of [text, ...before.map((b) => b.text)]) if (!BEGIN.test(t)) unname(t);
        // Outside a transaction nothing was aborted: send it again, unnamed. Inside, the
        // transaction has failed either way; the caller's retry goes unnamed (the engine's: the
        // run is put back, execute-run.ts; a request's: a 503 saying to send it again).
        if (inTransaction || before.length > 0) throw err;
        return query(text, values);
      });
    };
    const answered = (command: string) => Promise.resolve({ command, rowCount: 0, rows: [], fields: [], oid: 0 });

    (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof config !== 'string' || callback !== undefined || (values !== undefined && !Array.isArray(values))) {
        if (pending.length > 0) throw new Error('A pg query in another form was sent with statements still waiting to go out');
        return callback === undefined ? query(config, values) : query(config, values, callback);
      }
      const args = withArrayLiterals((values ?? []) as unknown[]);
      if (counters) counters.statements++;
      if (BEGIN.test(config) && args.length === 0 && !config.includes(';')) {
        if (counters) counters.transactions++;
        inTransaction = true;
        const name = nameOf(config);
        // Goes out with the transaction's first statement; sent alone until it is parsed on this connection.
        if (name && parsed[name] === config && pending.length === 0) {
          pending = [{ name, text: config, values: [] }];
          beginPending = true;
          return answered('BEGIN');
        }
        return send(config, args, name);
      }
      if (END.test(config)) {
        inTransaction = false;
        const rollback = !/^\s*(commit|end)\b/i.test(config);
        // Nothing of the transaction went out (or only statements a rollback drops anyway).
        if (beginPending && (rollback || pending.length === 1)) {
          pending = [];
          beginPending = false;
          return answered(rollback ? 'ROLLBACK' : 'COMMIT');
        }
        if (rollback) pending = [];
        return send(config, args, undefined);
      }
      const name = args.length > 0 || SINGLE_QUERY.test(config) || config.startsWith(DEFERRED) ? nameOf(config) : undefined;
      if (inTransaction && name && config.startsWith(DEFERRED) && parsed[name] === config) {
        pending.push({ name, text: config, values: args });
        return answered('DEFERRED');
      }
      return send(config, args, name);
    };
  });
}
