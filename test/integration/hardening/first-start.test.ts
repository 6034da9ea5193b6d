import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../server/store/database';
import { didNotStart, startAttempt } from '../../support/start-attempt';

// A first start that fails partway must not leave a data directory that can never start.
describe('a first start that fails partway', () => {
  let root: string;
  beforeAll(async () => { root = await mkdtemp(path.join(tmpdir(), 'companion-first-start-')); });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  it('a COMPANION_SECRET_KEY that is not 32 bytes stops it before anything is written (it crashed while seeding the demo)', async () => {
    const dataDir = path.join(root, 'short-key');
    const attempt = await startAttempt({ DATA_DIR: dataDir, COMPANION_DEMO: '1', COMPANION_SECRET_KEY: 'short', LOG_LEVEL: 'info' });
    if (attempt.started) await attempt.stop();
    expect(attempt).toMatchObject({
      started: false, code: 1,
      out: didNotStart('COMPANION_SECRET_KEY is not a 32-byte key: give 64 hex characters or 32 bytes in base64 (openssl rand -base64 32), or unset it to keep the key in DATA_DIR/secret-key'),
    });
    expect(existsSync(dataDir)).toBe(false);
  }, 40_000);

  it('a demo seed that stopped midway is completed by the next start, which prints working tokens', async () => {
    const dataDir = path.join(root, 'seed-midway');
    const file = path.join(dataDir, 'companion.sqlite');
    // The disk "fails" at the demo's last workflow, after its users, contacts and first workflows.
    const store = await openStore({ sqliteFile: file });
    await sql`create trigger fail_seed before insert on workflows when new.name = 'Order shipped' begin select raise(abort, 'disk I/O error (test)'); end`.execute(store.db);
    await store.close();
    const failed = await startAttempt({ DATA_DIR: dataDir, COMPANION_DEMO: '1' });
    if (failed.started) await failed.stop();
    expect(failed).toMatchObject({ started: false, code: 1 });
    expect(failed.started === false && failed.out).toContain('disk I/O error (test)');

    const fixed = await openStore({ sqliteFile: file });
    await sql`drop trigger fail_seed`.execute(fixed.db);
    await fixed.close();
    const again = await startAttempt({ DATA_DIR: dataDir, COMPANION_DEMO: '1' });
    if (!again.started) throw new Error(`the second start did not start:\n${again.out}`);
    try {
      const agentToken = /Demo agent token: +(\S+)/.exec(again.out())?.[1];
      expect(agentToken).toBeDefined();
      const me = await fetch(`${again.url}/api/v1/me`, { headers: { authorization: `Bearer ${agentToken}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { email: 'ava@demo.local' } });

      const admin = { authorization: `Bearer ${(await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim()}` };
      const users = await (await fetch(`${again.url}/api/v1/users`, { headers: admin })).json() as { users: { email: string }[] };
      const emails = users.users.map((u) => u.email).sort();
      expect(emails).toEqual(['admin@companion.local', 'ava@demo.local', 'ben@demo.local', 'sam@demo.local']);
      const workflows = await (await fetch(`${again.url}/api/v1/workflows`, { headers: admin })).json() as { workflows: { name: string }[] };
      expect(workflows.workflows.map((w) => w.name).sort()).toEqual(['Mark VIP', 'Order shipped', 'Request refund', 'Schedule callback']);
      const contacts = await (await fetch(`${again.url}/api/v1/contacts`, { headers: admin })).json() as { contacts: { firstName: string }[] };
      expect(contacts.contacts.map((c) => c.firstName).sort()).toEqual(['James', 'Lena', 'Maria', 'Yuki']);
    } finally {
      await again.stop();
    }
    // Seeded once: a third start prints no demo tokens and seeds nothing more.
    const third = await startAttempt({ DATA_DIR: dataDir, COMPANION_DEMO: '1' });
    if (!third.started) throw new Error(`the third start did not start:\n${third.out}`);
    await third.stop();
    expect(third.out()).not.toContain('Demo agent token');
    expect(third.out()).toContain(`Demo tokens: see ${path.join(dataDir, 'demo-tokens.json')}`);
  }, 90_000);
});
