import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAttempt, type StartAttempt } from '../../support/start-attempt';
import { runForgetSecrets } from './forget-secrets-support';

// `npm run forget-secrets -- --yes` run with another key while `npm start` still ran on the same
// SQLite DATA_DIR: on PostgreSQL it refuses (forget-secrets-running.pg.test.ts), on SQLite it could
// not tell and forgot every credential the running server went on sealing with its own key, so what
// was entered there next could not be opened after its restart. Now each server keeps a locked file
// beside the database, which a stop removes and a crash (SIGKILL) unlocks.

const keyA = Buffer.alloc(32, 31).toString('base64');
const keyB = Buffer.alloc(32, 32).toString('base64');
const adminToken = 'scrub-admin-token-0123456789abcdef0123456789';

let dir: string | undefined;
const servers: Extract<StartAttempt, { started: true }>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function startOn(dataDir: string) {
  const started = await startAttempt({ DATA_DIR: dataDir, COMPANION_SECRET_KEY: keyA, COMPANION_ADMIN_TOKEN: adminToken });
  if (!started.started) throw new Error(started.out);
  servers.push(started);
  return started;
}

// What to do in either case: the running server may have the sealing key (nothing is lost) or a
// new one after the old was lost (then forgetting is the way on, once it is stopped). The server
// shares this DATA_DIR: there are no "others" to copy a key to, as on PostgreSQL.
const REFUSED = /^forget-secrets: a server is running on this DATA_DIR \(pid \d+ on .+\); nothing was changed\. Stop it first \(that process\), then run this again with the key it was started with, its COMPANION_SECRET_KEY \(or none, if it uses .+secret-key\)\. If that key opens the credentials, nothing is lost: this says so and changes nothing, and the server starts as it is\. If it does not \(the key they were sealed with is lost\), this forgets them and says what to enter again\.$/;

describe('npm run forget-secrets while a server runs on the DATA_DIR (SQLite)', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('refuses while it runs; forgets once it was stopped with %s', async (signal) => {
    dir = await mkdtemp(path.join(tmpdir(), 'forget-running-'));
    const server = await startOn(dir);
    const res = await fetch(`${server.url}/api/v1/workflows`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Order shipped', status: 'published', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'Shipped' } }] }),
    });
    expect(res.status).toBe(201);

    const command = { DATA_DIR: dir, COMPANION_SECRET_KEY: keyB };
    const refused = await runForgetSecrets(command, ['--yes']);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toMatch(REFUSED);
    expect(refused.out).toContain(`pid ${server.child.pid}`);
    // Nothing was forgotten: the running server still gives the webhook's URL.
    const read = await fetch(`${server.url}/api/v1/workflows`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(JSON.stringify(await read.json())).toMatch(/\/hooks\//);

    await server.stop(signal);
    const forgot = await runForgetSecrets(command, ['--yes']);
    expect(forgot.code, forgot.out).toBe(0);
    expect(forgot.out).toContain('"Order shipped" (URL');
    // A killed server's file is cleared by the command that found it unlocked.
    expect((await readdir(path.join(dir, 'companion.sqlite.servers'))).filter((n) => !n.startsWith('.'))).toEqual([]);
  }, 60_000);

  it('names both servers running on one file, and still refuses while one of them runs', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'forget-running-'));
    const first = await startOn(dir);
    const second = await startOn(dir);
    const command = { DATA_DIR: dir, COMPANION_SECRET_KEY: keyB };
    const both = await runForgetSecrets(command, ['--yes']);
    expect(both.code, both.out).toBe(1);
    expect(both.out).toMatch(/^forget-secrets: 2 servers are running on this DATA_DIR \(pid \d+ on .+; pid \d+ on .+\); nothing was changed\. Stop it first \(each of those processes\), then run this again with the key it was started with/);
    expect(both.out).toContain(`pid ${first.child.pid}`);
    expect(both.out).toContain(`pid ${second.child.pid}`);

    await first.stop('SIGKILL');
    const one = await runForgetSecrets(command, ['--yes']);
    expect(one.code, one.out).toBe(1);
    expect(one.out).toMatch(REFUSED);
    expect(one.out).toContain(`pid ${second.child.pid}`);
    expect(one.out).not.toContain(`pid ${first.child.pid}`);
  }, 60_000);
});
