import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free loopback port (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ServerProcess { child: ChildProcess; url: string; output: () => string }

/**
 * The companion as a real child process (`tsx server/main.ts`, or the built bundle), so a test can SIGKILL it.
 * Runs on the same Node as the tests (Node 24 through npm scripts).
 */
export async function spawnServer(env: Record<string, string>, port: number, opts: { built?: boolean } = {}): Promise<ServerProcess> {
  let out = '';
  // built: the bundle `npm start` runs (dist/server.mjs, from `npm run build:server`).
  const args = opts.built ? ['--enable-source-maps', 'dist/server.mjs'] : ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, COMPANION_DEMO: '0', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > until) { child.kill('SIGKILL'); throw new Error(`server did not start:\n${out}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, output: () => out };
}

export async function killHard(p: ServerProcess) {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGKILL');
  await exited;
}

/** `npm start`'s process (`tsx server/main.ts`) run to its end: its exit code and all it printed (for starts that must fail). */
export async function runToExit(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...process.env, COMPANION_DEMO: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, out: out.trim() };
}
