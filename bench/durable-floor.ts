import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import Fastify from 'fastify';

// A reference, not the product: the least a durable 202 can cost on this machine. The same
// Fastify route as bare-fastify.ts, but each request's event and run rows (the companion's own
// tables and indexes, from its migrations) are committed to SQLite in WAL mode before the answer,
// with group commit, and nothing else: no URL lookup, identification, mapping, signatures or
// limits. The gap between this and bare Fastify is what durability alone costs here.
const { openStore } = await import('../server/store/database');
const dir = mkdtempSync(path.join(tmpdir(), 'companion-floor-'));
const file = path.join(dir, 'floor.sqlite');
const store = await openStore({ sqliteFile: file });
await store.close();
const db = new DatabaseSync(file);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;');

const EVENT_COLUMNS = ['id', 'type', 'source', 'contact_id', 'payload', 'idempotency_key', 'depth', 'note', 'created_at'];
const RUN_COLUMNS = ['id', 'workflow_id', 'workflow_version', 'contact_id', 'conversation_id', 'event_id', 'event_type', 'variables', 'status', 'created_at', 'updated_at'];
const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
const insert = (table: string, columns: string[], rows: number) => {
  const key = `${table}:${rows}`;
  let stmt = statements.get(key);
  if (!stmt) {
    const values = Array.from({ length: rows }, () => `(${columns.map(() => '?').join(',')})`).join(',');
    stmt = db.prepare(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${values}`);
    statements.set(key, stmt);
  }
  return stmt;
};

let seq = 0;
let pending: { body: { order?: { id?: string } }; resolve: (ack: unknown) => void }[] = [];
let scheduled = false;
function flush() {
  scheduled = false;
  const batch = pending;
  pending = [];
  const now = new Date().toISOString();
  const events: unknown[] = [];
  const runs: unknown[] = [];
  const acks = batch.map(({ body }) => {
    const eventId = `evt_${Date.now()}_${seq++}`;
    const runId = `run_${Date.now()}_${seq++}`;
    const variables = JSON.stringify({ trigger: { orderId: body.order?.id ?? null } });
    events.push(eventId, 'webhook.received', 'api', null, variables, null, 0, null, now);
    runs.push(runId, 'wf', 1, 'contact', null, eventId, 'webhook.received', variables, 'queued', now, now);
    return { eventId, runIds: [runId] };
  });
  db.exec('BEGIN');
  insert('events', EVENT_COLUMNS, batch.length).run(...(events as never[]));
  insert('runs', RUN_COLUMNS, batch.length).run(...(runs as never[]));
  db.exec('COMMIT');
  batch.forEach((b, i) => b.resolve(acks[i]));
}

const app = Fastify({ logger: false });
app.post('/hooks/:token', (req, reply) => new Promise((resolve) => {
  pending.push({ body: req.body as { order?: { id?: string } }, resolve });
  if (!scheduled) { scheduled = true; setImmediate(flush); }
}).then((ack) => reply.code(202).send(ack)));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');
