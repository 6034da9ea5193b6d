import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { backup, DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOST_KEY_WAY_OUT } from '../../../server/secrets/key-check';
import { didNotStart, startAttempt } from '../../support/start-attempt';

// A SQLite backup restored into a new DATA_DIR without its `secret-key` file: the start made a
// new key silently, and every workflow read answered 500. Now the start stops saying which key the
// data needs; with that key (the file, or COMPANION_SECRET_KEY) it starts and everything reads.
describe('a restored SQLite backup and its secret key', () => {
  let root: string;
  let original: string;
  let restored: string;
  let adminToken: string;
  const restoredFile = () => path.join(restored, 'secret-key');
  const missing = () => didNotStart(`the database holds credentials sealed with a secret key, and this server has none (${restoredFile()} is missing, COMPANION_SECRET_KEY is unset); no new key is made while sealed data exists. Start with the secret-key file of the DATA_DIR that first started with this database (copy it to ${restoredFile()}), or the COMPANION_SECRET_KEY it was started with. ${LOST_KEY_WAY_OUT}`);
  const wrong = (which: string) => didNotStart(`the secret key (${which}) cannot open the credentials stored in the database: they were sealed with another key. Start with the secret-key file of the DATA_DIR that first started with this database (copy it to ${restoredFile()}), or the COMPANION_SECRET_KEY it was started with. ${LOST_KEY_WAY_OUT}`);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'companion-restore-'));
    original = path.join(root, 'original');
    restored = path.join(root, 'restored');
    // The demo's "Order shipped" workflow has a sealed webhook URL.
    const first = await startAttempt({ DATA_DIR: original, COMPANION_DEMO: '1' });
    if (!first.started) throw new Error(`the original did not start:\n${first.out}`);
    // An online backup of the running server's database (SQLite's backup API, as `sqlite3 … ".backup …"`).
    await mkdir(restored, { mode: 0o700 });
    const source = new DatabaseSync(path.join(original, 'companion.sqlite'), { readOnly: true });
    await backup(source, path.join(restored, 'companion.sqlite'));
    source.close();
    await first.stop('SIGTERM');
    adminToken = (await readFile(path.join(original, 'admin-token'), 'utf8')).trim();
  }, 60_000);
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  it('without secret-key: stops, saying which key it needs, and makes none', async () => {
    const attempt = await startAttempt({ DATA_DIR: restored, COMPANION_DEMO: '1' });
    if (attempt.started) await attempt.stop();
    expect(attempt).toMatchObject({ started: false, code: 1, out: missing() });
    expect(existsSync(restoredFile())).toBe(false);
  }, 40_000);

  it('a database sealed before starts checked the key (no check value yet) is refused the same way', async () => {
    const legacy = path.join(root, 'legacy');
    await mkdir(legacy, { mode: 0o700 });
    await copyFile(path.join(restored, 'companion.sqlite'), path.join(legacy, 'companion.sqlite'));
    const db = new DatabaseSync(path.join(legacy, 'companion.sqlite'));
    db.prepare("delete from settings where key = 'secret_key_check'").run();
    db.close();
    const attempt = await startAttempt({ DATA_DIR: legacy });
    if (attempt.started) await attempt.stop();
    const file = path.join(legacy, 'secret-key');
    expect(attempt).toMatchObject({ started: false, code: 1, out: didNotStart(`the database holds credentials sealed with a secret key, and this server has none (${file} is missing, COMPANION_SECRET_KEY is unset); no new key is made while sealed data exists. Start with the secret-key file of the DATA_DIR that first started with this database (copy it to ${file}), or the COMPANION_SECRET_KEY it was started with. ${LOST_KEY_WAY_OUT}`) });
    expect(existsSync(file)).toBe(false);
  }, 40_000);

  it('with another key (a file of its own, or COMPANION_SECRET_KEY): stops, naming the key it used', async () => {
    await writeFile(restoredFile(), randomBytes(32).toString('base64'), { mode: 0o600 });
    const byFile = await startAttempt({ DATA_DIR: restored });
    if (byFile.started) await byFile.stop();
    expect(byFile).toMatchObject({ started: false, code: 1, out: wrong(restoredFile()) });
    await rm(restoredFile());
    const byEnv = await startAttempt({ DATA_DIR: restored, COMPANION_SECRET_KEY: randomBytes(32).toString('hex') });
    if (byEnv.started) await byEnv.stop();
    expect(byEnv).toMatchObject({ started: false, code: 1, out: wrong('COMPANION_SECRET_KEY') });
  }, 60_000);

  it('with the original secret-key: starts, every workflow reads, and the banner points at no missing token file', async () => {
    await copyFile(path.join(original, 'secret-key'), restoredFile());
    const attempt = await startAttempt({ DATA_DIR: restored, COMPANION_DEMO: '1' });
    if (!attempt.started) throw new Error(`the restored copy did not start:\n${attempt.out}`);
    try {
      const headers = { authorization: `Bearer ${adminToken}` };
      const list = await fetch(`${attempt.url}/api/v1/workflows`, { headers });
      expect(list.status).toBe(200);
      const hook = ((await list.json()) as { workflows: { id: string; name: string; trigger: { url?: string } }[] }).workflows.find((w) => w.name === 'Order shipped')!;
      expect(hook.trigger.url).toMatch(/\/hooks\/[\w-]+$/);
      const one = await fetch(`${attempt.url}/api/v1/workflows/${hook.id}`, { headers });
      expect(one.status).toBe(200);
      // admin-token and demo-tokens.json stayed in the original DATA_DIR.
      expect(attempt.out()).toContain('  Admin token: printed when this database first started (not kept in this DATA_DIR); set COMPANION_ADMIN_TOKEN to sign in as the admin with a token of your choice');
      expect(attempt.out()).not.toContain(path.join(restored, 'admin-token'));
      expect(attempt.out()).not.toContain(path.join(restored, 'demo-tokens.json'));
    } finally {
      await attempt.stop();
    }
  }, 40_000);
});
