import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// Another process holds the SQLite file's write lock past the server's busy timeout (5 s): a
// backup, sqlite3 maintenance, a bulk insert (the review's, for 30 s). A write meanwhile was a
// 500 "internal" ("database is locked"); it is a 503 `busy` with Retry-After, as a PostgreSQL
// deadlock is, and the same request once the lock is let go goes through. Reads go on (WAL).

let dir: string;
let server: TestServer;
let other: DatabaseSync;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'companion-locked-'));
  server = await startTestServer({ sqliteFile: path.join(dir, 'companion.sqlite'), workers: false });
  other = new DatabaseSync(path.join(dir, 'companion.sqlite'));
}, 30_000);
afterAll(async () => {
  other?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

it('answers a write 503 busy with Retry-After while another process holds the lock, and takes it once the lock is gone', async () => {
  const admin = server.api(server.adminToken);
  const before = await admin.post('/contacts', { firstName: 'Before' });
  expect(before.status).toBe(201);

  other.exec('BEGIN IMMEDIATE');
  try {
    const locked = await admin.post('/contacts', { firstName: 'Ada' });
    expect(locked.status, JSON.stringify(locked.body)).toBe(503);
    expect(locked.body.error.code).toBe('busy');
    expect(locked.body.error.message).toMatch(/another process .* not saved; send it again/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Reading does not wait for the writer.
    const read = await admin.get(`/contacts/${before.body.id}`);
    expect(read.status).toBe(200);
  } finally {
    other.exec('ROLLBACK');
  }

  const again = await admin.post('/contacts', { firstName: 'Ada' });
  expect(again.status, JSON.stringify(again.body)).toBe(201);
  const conversation = await admin.post('/conversations', { contactId: again.body.id });
  expect(conversation.status, JSON.stringify(conversation.body)).toBe(201);
}, 30_000);
