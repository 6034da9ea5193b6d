import pg from 'pg';
import { prepareValue } from 'pg/lib/utils.js';

/** A statement already parsed on the connection under `name`: it goes out as Bind + Execute only. */
export interface Parsed { name: string; text: string; values: readonly unknown[] }

/** The parts of pg's Query (lib/query.js) a pipelined query steers; @types/pg does not declare them. */
interface QueryInternals {
  submit(connection: PgConnection): Error | null;
  handleRowDescription(msg: unknown): void;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: PgConnection): void;
  handleEmptyQuery(connection: PgConnection): void;
}
interface PgConnection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  stream: { cork?(): void; uncork?(): void };
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string }): void;
}
type QueryConfig = { text: string; name?: string | undefined; values: readonly unknown[]; queryMode: 'extended'; callback(err: Error | null, result?: pg.QueryResult): void };
type Send = (query: unknown) => unknown;

const Query = pg.Query as unknown as new (config: QueryConfig) => QueryInternals;

/**
 * pg's Query with statements sent before it in the same write, ahead of its own Parse/Bind/
 * Execute and before its one Sync: one round trip for all of them, where pg alone waits for
 * each statement's answer before it sends the next. PostgreSQL runs them in order; an error in
 * any of them skips the rest up to the Sync and is this query's error (inside a transaction,
 * the transaction has then failed, as it would have statement by statement). Their results are
 * dropped: only statements whose results nobody reads go ahead (pg-prepared.ts: a transaction's
 * BEGIN, statements marked deferred).
 *
 * Those statements are parsed on this connection already (named), so no ParseComplete answers
 * them: pg credits every ParseComplete to the query it is waiting on.
 */
export class PipelinedQuery extends Query {
  private ahead: number;

  constructor(private readonly config: QueryConfig, private readonly before: readonly Parsed[]) {
    super(config);
    this.ahead = before.length;
  }

  override submit(connection: PgConnection): Error | null {
    // Everything that could make pg refuse the query is checked before anything is written: a
    // refusal after the statements ahead went out would leave them without their Sync.
    const { name, text } = this.config;
    const previous = name && (connection.parsedStatements[name] ?? connection.submittedNamedStatements[name]);
    if (previous && previous !== text) return new Error(`Prepared statement ${name} was used for a different statement`);
    let values: unknown[][];
    try {
      values = this.before.map((s) => s.values.map((v) => prepareValue(v)));
      for (const v of this.config.values) prepareValue(v);
    } catch (err) {
      return err as Error;
    }
    connection.stream.cork?.();
    try {
      this.before.forEach((s, i) => {
        connection.bind({ portal: '', statement: s.name, values: values[i]! });
        connection.execute({ portal: '' });
      });
      return super.submit(connection);
    } finally {
      connection.stream.uncork?.();
    }
  }

  override handleRowDescription(msg: unknown) {
    if (this.ahead === 0) super.handleRowDescription(msg);
  }

  override handleDataRow(msg: unknown) {
    if (this.ahead === 0) super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: PgConnection) {
    if (this.ahead > 0) this.ahead--;
    else super.handleCommandComplete(msg, connection);
  }

  override handleEmptyQuery(connection: PgConnection) {
    if (this.ahead > 0) this.ahead--;
    else super.handleEmptyQuery(connection);
  }
}

/** Sends `text` with `before` ahead of it (PipelinedQuery) through pg's `client.query`, as a promise of its result. */
export function sendPipelined(send: Send, before: readonly Parsed[], text: string, values: readonly unknown[], name?: string): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const query = new PipelinedQuery({ text, name, values, queryMode: 'extended', callback: (err, result) => (err ? reject(err) : resolve(result!)) }, before);
    // A Submittable: pg queues it like any query and answers through its callback.
    send(query);
  });
}
