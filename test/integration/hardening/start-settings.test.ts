import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didNotStart, startAttempt } from '../../support/start-attempt';

// Settings a self-hoster mistypes, reproduced with `npm start`'s process: each stops the start
// with one line naming the variable and the form it takes, before DATA_DIR or the database is
// touched. They used to start anyway (a rate limit of 1000 instead of 12000, runs kept forever,
// NaN timers, a random port) or end in a stack trace after the database was created.
describe('a setting that cannot work stops the start before anything is written', () => {
  let root: string;
  beforeAll(async () => { root = await mkdtemp(path.join(tmpdir(), 'companion-settings-')); });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'abc' }, 'PORT=abc is not a port number (a whole number from 0 to 65535); unset or empty means 8787'],
    [{ PORT: '99999' }, 'PORT=99999 is not a port number (a whole number from 0 to 65535); unset or empty means 8787'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL=verbose is not one of trace, debug, info, warn, error, fatal, silent; unset or empty means info'],
    [{ HOST: 'nonexistent.invalid' }, 'HOST=nonexistent.invalid does not resolve to an address (ENOTFOUND): set HOST to an address of this machine, e.g. 127.0.0.1, or 0.0.0.0 for every interface'],
    [{ RATE_LIMIT_PER_MINUTE: 'abc' }, 'RATE_LIMIT_PER_MINUTE=abc is not a whole number of requests per minute (1 or more); unset or empty means 12000'],
    [{ RUN_RETENTION_DAYS: 'abc' }, 'RUN_RETENTION_DAYS=abc is not a number of days (0 or more; 0 keeps everything); unset or empty means 30'],
    [{ META_ADS_SYNC_MINUTES: '5m' }, 'META_ADS_SYNC_MINUTES=5m is not a whole number of minutes from 1 to 10080 (a week), or 0 to sync only on demand; unset or empty means 60'],
    [{ META_ADS_SYNC_MINUTES: '43200' }, 'META_ADS_SYNC_MINUTES=43200 is not a whole number of minutes from 1 to 10080 (a week), or 0 to sync only on demand; unset or empty means 60'],
    [{ CHATWOOT_SYNC_SECONDS: 'abc' }, 'CHATWOOT_SYNC_SECONDS=abc is not a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off; unset or empty means 300'],
    [{ CHATWOOT_SYNC_SECONDS: '99999999999' }, 'CHATWOOT_SYNC_SECONDS=99999999999 is not a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off; unset or empty means 300'],
    [{ CHATWOOT_SYNC_SECONDS: '0.05' }, 'CHATWOOT_SYNC_SECONDS=0.05 is not a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off; unset or empty means 300'],
    [{ COMPANION_DEMO: 'prod' }, 'COMPANION_DEMO=prod is neither yes (1, true, yes, on) nor no (0, false, no, off); unset or empty means yes'],
    [{ COMPANION_WORKERS: 'garbage' }, 'COMPANION_WORKERS=garbage is neither yes (1, true, yes, on) nor no (0, false, no, off); unset or empty means yes'],
    [{ COMPANION_EXECUTOR_THREAD: 'maybe' }, 'COMPANION_EXECUTOR_THREAD=maybe is neither yes (1, true, yes, on) nor no (0, false, no, off); unset or empty means no'],
    [{ COMPANION_STATS: 'garbage' }, 'COMPANION_STATS=garbage is neither yes (1, true, yes, on) nor no (0, false, no, off); unset or empty means no'],
    [{ META_GRAPH_URL: 'graph.facebook.com' }, 'META_GRAPH_URL=graph.facebook.com is not an http:// or https:// URL: give the Graph API\'s base with its version, e.g. https://graph.facebook.com/v21.0, or unset it'],
    [{ DATABASE_URL: 'postgress://companion:pw@127.0.0.1:5432/companion' }, 'DATABASE_URL must start with postgres:// or postgresql:// (it starts with postgress://); unset it to use SQLite in DATA_DIR'],
    [{ DATABASE_URL: 'mysql://companion:pw@127.0.0.1/companion' }, 'DATABASE_URL must start with postgres:// or postgresql:// (it starts with mysql://); unset it to use SQLite in DATA_DIR'],
    [{ PUBLIC_URL: 'companion.example.com' }, 'PUBLIC_URL=companion.example.com is not an http:// or https:// URL: give the address others reach the server at, e.g. https://companion.example.com'],
  ];
  it.concurrent.each(cases.map(([env, problem]) => [Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' '), env, problem] as const))('%s', async (_name, env, problem) => {
    const dataDir = path.join(root, Object.entries(env).flat().join('-').replace(/[^\w.-]/g, '_'));
    const attempt = await startAttempt({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env });
    if (attempt.started) await attempt.stop();
    expect(attempt).toMatchObject({ started: false, code: 1, out: didNotStart(problem) });
    expect(existsSync(dataDir)).toBe(false);
  }, 40_000);

  it('COMPANION_DEMO=false (meant as production) seeds no demo workspace: no demo users, no tokens for them', async () => {
    const dataDir = path.join(root, 'demo-false');
    const attempt = await startAttempt({ DATA_DIR: dataDir, COMPANION_DEMO: 'false' });
    if (!attempt.started) throw new Error(`did not start:\n${attempt.out}`);
    try {
      const admin = /Admin token: +(\S+)/.exec(attempt.out())?.[1];
      const users = await (await fetch(`${attempt.url}/api/v1/users`, { headers: { authorization: `Bearer ${admin}` } })).json() as { users: { role: string }[] };
      expect(users.users.map((u) => u.role)).toEqual(['admin']);
      expect(attempt.out()).not.toMatch(/Demo \w+ token/);
      expect(existsSync(path.join(dataDir, 'demo-tokens.json'))).toBe(false);
    } finally {
      await attempt.stop();
    }
  }, 40_000);

  it('COMPANION_WORKERS=no starts an instance that takes webhooks and executes no run', async () => {
    const attempt = await startAttempt({ DATA_DIR: path.join(root, 'workers-no'), COMPANION_DEMO: 'yes', COMPANION_WORKERS: 'no' });
    if (!attempt.started) throw new Error(`did not start:\n${attempt.out}`);
    try {
      const admin = /Admin token: +(\S+)/.exec(attempt.out())?.[1];
      const hook = /Demo webhook: +curl -X POST (\S+) /.exec(attempt.out())?.[1];
      const res = await fetch(hook!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '+34600111222', order: { id: '1042' } }) });
      expect(res.status).toBe(202);
      const { runIds } = await res.json() as { runIds: string[] };
      expect(runIds).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1_500));
      const run = await (await fetch(`${attempt.url}/api/v1/runs/${runIds[0]}`, { headers: { authorization: `Bearer ${admin}` } })).json() as { status: string };
      expect(run.status).toBe('queued');
    } finally {
      await attempt.stop();
    }
  }, 40_000);

  it('RUN_RETENTION_DAYS longer than since 1970 keeps everything, without a warning at every pruning pass', async () => {
    const attempt = await startAttempt({ DATA_DIR: path.join(root, 'retention-long'), RUN_RETENTION_DAYS: '100000', LOG_LEVEL: 'warn' });
    if (!attempt.started) throw new Error(`did not start:\n${attempt.out}`);
    try {
      // The first pruning pass comes 5 s after the start (engine/executor/retention.ts).
      await new Promise((r) => setTimeout(r, 6_500));
      expect(attempt.out()).not.toContain('pruning old runs and events failed');
    } finally {
      await attempt.stop();
    }
  }, 40_000);

  it('empty PORT (docker-compose passing ${PORT} unset) is the default port, not a random one', async () => {
    // 127.0.0.2 (loopback too): 8787 on 127.0.0.1 may be someone's running server.
    const attempt = await startAttempt({ DATA_DIR: path.join(root, 'empty-port'), PORT: '', HOST: '127.0.0.2' });
    if (!attempt.started) throw new Error(`did not start:\n${attempt.out}`);
    try {
      expect(attempt.url).toBe('http://127.0.0.2:8787');
      expect(attempt.out()).toContain('Inbox Companion is running on http://127.0.0.2:8787 ');
    } finally {
      await attempt.stop();
    }
  }, 40_000);

  it('HOST that is no address of this machine: the listen error in one line, not a stack trace', async () => {
    // 192.0.2.1: TEST-NET-1 (RFC 5737), on no interface here.
    const attempt = await startAttempt({ DATA_DIR: path.join(root, 'no-address'), HOST: '192.0.2.1', PORT: '8899' });
    if (attempt.started) await attempt.stop();
    expect(attempt).toMatchObject({ started: false, code: 1, out: didNotStart('192.0.2.1:8899: this machine has no such address (EADDRNOTAVAIL): set HOST to one of its addresses, 127.0.0.1, or 0.0.0.0 for every interface') });
  }, 40_000);
});
