import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// Writes that meet another process's hold on the SQLite file (a backup, sqlite3 maintenance) wait
// without blocking (sqlite-driver.ts), each trying again after its own growing pauses. Once the
// lock was let go, whichever pause ended first went first: a reply sent later, still at its short
// first pauses, was saved before one that had waited longer, with the earlier id and time, so the
// thread read the agent's replies in reverse. They wait in line now, in the order they came.

let dir: string;
let server: TestServer;
let other: DatabaseSync;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'companion-locked-order-'));
  const file = path.join(dir, 'companion.sqlite');
  server = await startTestServer({ sqliteFile: file });
  other = new DatabaseSync(file);
}, 30_000);
afterAll(async () => {
  other?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('replies sent while another process holds the lock are saved in the order they were sent', async () => {
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Ada' });
  const conversation = (await admin.post('/conversations', { contactId: contact.body.id })).body.id as string;
  const texts = ['Hello Ada', 'Thanks for waiting', 'Your order shipped', 'Anything else?'];

  other.exec('BEGIN IMMEDIATE');
  const sent: Promise<{ status: number }>[] = [];
  try {
    // Each reply is waiting before the next is sent; the first has waited longest.
    for (const [i, text] of texts.entries()) {
      sent.push(admin.post(`/conversations/${conversation}/messages`, { text }));
      await pause(i === 0 ? 400 : 30);
    }
  } finally {
    other.exec('ROLLBACK');
  }
  expect((await Promise.all(sent)).map((r) => r.status)).toEqual([201, 201, 201, 201]);

  const thread = (await admin.get(`/conversations/${conversation}/messages`)).body as { messages?: { text: string }[] } | { text: string }[];
  const shown = (Array.isArray(thread) ? thread : thread.messages ?? []).map((m) => m.text).filter((t) => texts.includes(t));
  expect(shown).toEqual(texts);
  const saved = await server.app.services.db.selectFrom('messages').select(['id', 'text']).where('conversation_id', '=', conversation).orderBy('id').execute();
  expect(saved.map((m) => m.text).filter((t) => texts.includes(t ?? ''))).toEqual(texts);
}, 30_000);
