import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAttempt, type StartAttempt } from '../../support/start-attempt';
import { runForgetSecrets } from './forget-secrets-support';

// A server on a SQLite DATA_DIR whose disk filled up, killed (OOM, a container restart): its
// database still opens there (reads go on, writes answer 503 storage_full), but the lock file each
// server keeps for `npm run forget-secrets` (sqlite-servers.ts) was taken with a journal write,
// which failed: the server did not come back, with a stack trace. A real full disk: a small tmpfs
// (needs root and mount; skipped where the machine does not allow it).

const key = Buffer.alloc(32, 41).toString('base64');
const adminToken = 'full-disk-admin-token-0123456789abcdef0123456789';
let mountPoint: string | undefined;
const servers: Extract<StartAttempt, { started: true }>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop('SIGKILL');
  if (mountPoint) {
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
  mountPoint = undefined;
});

function smallDisk(): string | undefined {
  const at = mkdtempSync(path.join(tmpdir(), 'full-disk-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', at]).status !== 0) {
    rmSync(at, { recursive: true, force: true });
    return undefined;
  }
  mountPoint = at;
  return at;
}

/** Writes until the file system says it is full. */
function fill(dir: string) {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; ; i++) {
    try { writeFileSync(path.join(dir, `fill-${i}`), chunk); } catch { break; }
  }
  for (let i = 0; ; i++) {
    try { writeFileSync(path.join(dir, `byte-${i}`), 'x'); } catch { break; }
  }
}

describe('a SQLite server that crashed on a full disk', () => {
  it('starts again there, and forget-secrets still sees it running', async (ctx) => {
    const disk = smallDisk();
    if (!disk) return ctx.skip();
    const env = { DATA_DIR: path.join(disk, 'data'), COMPANION_SECRET_KEY: key, COMPANION_ADMIN_TOKEN: adminToken };
    const first = await startAttempt(env);
    if (!first.started) throw new Error(first.out);
    servers.push(first);
    // A sealed credential (the webhook's URL token), so that forget-secrets has something to forget.
    const created = await fetch(`${first.url}/api/v1/workflows`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Order shipped', status: 'published', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'Shipped' } }] }),
    });
    expect(created.status).toBe(201);
    await first.stop('SIGKILL');
    fill(disk);

    const again = await startAttempt(env);
    expect(again.started, again.started ? '' : again.out).toBe(true);
    if (!again.started) return;
    servers.push(again);
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    expect(readdirSync(path.join(env.DATA_DIR, 'companion.sqlite.servers')).filter((n) => n.endsWith('-journal'))).toEqual([]);

    // The killed server's file is told from the running one's on the full disk too.
    const forget = await runForgetSecrets({ DATA_DIR: env.DATA_DIR, COMPANION_SECRET_KEY: Buffer.alloc(32, 42).toString('base64') }, ['--yes']);
    expect(forget.code, forget.out).toBe(1);
    expect(forget.out).toMatch(new RegExp(`^forget-secrets: a server is running on this DATA_DIR \\(pid ${again.child.pid} on [^;]+\\); nothing was changed\\.`));
  }, 60_000);
});
