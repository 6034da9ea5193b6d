import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './http/trust-proxy';
import { markRunning, runningOnSqlite } from './sqlite-servers';

// What `npm run forget-secrets` learns of the servers on a SQLite DATA_DIR: never a server that
// is not running, never nothing while one runs, and no debris that no command clears.

let dir: string | undefined;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const database = () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sqlite-servers-'));
  return path.join(dir, 'companion.sqlite');
};

/** A server process that marked itself running and waits: killed as a crash kills it. */
async function markedInAnotherProcess(databaseFile: string) {
  const code = `import('./server/sqlite-servers.ts').then((m) => { m.markRunning(${JSON.stringify(databaseFile)}); console.log('marked'); setInterval(() => {}, 60_000); })`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).includes('marked')) resolve(); });
    child.once('exit', (c) => reject(new Error(`exited with ${c} before marking`)));
  });
  return { pid: child.pid!, kill: () => new Promise((r) => { child.once('exit', r); child.kill('SIGKILL'); }) };
}

describe('the servers running on a SQLite file', () => {
  // Taking the lock wrote a 512-byte journal under the file's first (dot) name: a SIGKILL left
  // it for good, one more per crash, and on a full disk the write failed, so a server that
  // crashed there could not start again (a stack trace) although the database still opened.
  it('a killed server leaves nothing behind once the command found it gone', async () => {
    const file = database();
    const server = await markedInAnotherProcess(file);
    expect(runningOnSqlite(file)).toEqual([expect.stringContaining(`pid ${server.pid}`)]);
    await server.kill();
    expect(runningOnSqlite(file)).toEqual([]);
    expect(readdirSync(`${file}.servers`)).toEqual([]);
  }, 30_000);

  it('a server stopped as it should leaves nothing behind', () => {
    const file = database();
    const mark = markRunning(file);
    mark.release();
    expect(readdirSync(`${file}.servers`)).toEqual([]);
  });

  // Any failure to try a file's lock was taken for a running server: the operator was told to
  // stop a server that did not exist, with no way to find it.
  it('a file it cannot try is said as such, not taken for a running server', () => {
    const file = database();
    mkdirSync(path.join(`${file}.servers`, 'vm-4242-abcdef'), { recursive: true });
    expect(() => runningOnSqlite(file)).toThrow(ConfigError);
    expect(() => runningOnSqlite(file)).toThrow(/^cannot tell whether the server that left .+vm-4242-abcdef still runs \(.+\): if no server runs on this DATA_DIR, remove that file, then run this again$/);
  });

  it('a file in the way of the directory stops the start with what to move', () => {
    const file = database();
    writeFileSync(`${file}.servers`, '');
    expect(() => markRunning(file)).toThrow(ConfigError);
    expect(() => markRunning(file)).toThrow(`${file}.servers is not a directory: move it away`);
  });
});
