import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

// The assign rule against a reassignment made meanwhile, on SQLite (assign-race.pg.test.ts:
// PostgreSQL). Ava, an agent, unassigns her conversation; between the route's read of who has it
// and its write, a supervisor gives it to Ben. The rule was checked on that earlier read only, so
// Ava's "unassign mine" dropped Ben's assignment. Made deterministic with another connection to
// the file (a second process would be the same): it holds the write lock while Ava's request is
// read and waits for its transaction, then commits the supervisor's assignment and lets go.

let dir: string;
let server: TestServer;
let other: DatabaseSync;
let admin: Api;
let ava: { api: Api; id: string };
let ben: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'companion-assign-race-'));
  const file = path.join(dir, 'companion.sqlite');
  server = await startTestServer({ sqliteFile: file, workers: false });
  other = new DatabaseSync(file);
  admin = server.api(server.adminToken);
  const a = await server.createUser('agent', { name: 'Ava Agent' });
  ava = { api: server.api(a.token), id: a.user.id };
  ben = (await server.createUser('agent', { name: 'Ben Agent' })).user.id;
});
afterEach(async () => {
  if (other.isTransaction) other.exec('ROLLBACK');
  other.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

it('an agent\'s "unassign mine" that a reassignment overtook is refused; the colleague keeps it', async () => {
  const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
  const id = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
  expect((await admin.post(`/conversations/${id}/assign`, { userId: ava.id })).status).toBe(200);

  const counters = server.store.counters!;
  other.exec('BEGIN IMMEDIATE');
  const begun = counters.transactions;
  const unassign = ava.api.post(`/conversations/${id}/assign`, { userId: null });
  // Ava's request has read the conversation (hers) and tries to begin its write again and again.
  await waitFor('Ava\'s request to wait for the write lock', async () => (counters.transactions >= begun + 3 ? true : undefined), 4_000);
  // The supervisor's reassignment commits first.
  other.prepare('UPDATE conversations SET assignee_id = ? WHERE id = ?').run(ben, id);
  other.exec('COMMIT');

  const res = await unassign;
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.body.error.code).toBe('forbidden');
  expect(ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).assigneeId).toBe(ben);
});
