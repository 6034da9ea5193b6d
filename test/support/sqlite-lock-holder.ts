import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Another process holding a SQLite file's write lock for `ms` (as a backup, `sqlite3` maintenance
 * or a second server on the same file would): resolves once it holds it; `released` once it let go.
 */
export async function holdSqliteLock(file: string, ms: number): Promise<{ released: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--no-warnings', '-e', `
    const db = new (require('node:sqlite').DatabaseSync)(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, ${ms});`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const released = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => { if (String(d).includes('locked')) resolve(); });
    child.on('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return { released };
}
