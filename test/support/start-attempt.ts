import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './process';

/** What `npm start` did: ended (its code and all it printed), or came up and answers /readyz. */
export type StartAttempt =
  | { started: false; code: number | null; out: string }
  | { started: true; url: string; out: () => string; child: ChildProcess; exited: Promise<number | null>; stop(signal?: NodeJS.Signals): Promise<number | null> };

/**
 * `npm start`'s process (`tsx server/main.ts`) with `env` (the demo off, LOG_LEVEL=warn, a free
 * loopback port unless given), until it ends or answers /readyz. For starts that must fail, a
 * start that goes ahead anyway is seen as such at once instead of as a timeout.
 */
export async function startAttempt(env: Record<string, string>, opts: { waitMs?: number } = {}): Promise<StartAttempt> {
  const full: Record<string, string> = { COMPANION_DEMO: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env };
  if (!('PORT' in env)) full.PORT = String(await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...process.env, ...full }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://${full.HOST || '127.0.0.1'}:${full.PORT || '8787'}`;
  const until = Date.now() + (opts.waitMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return { started: false, code: await exited, out: out.trim() };
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) })).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`neither started nor ended within ${opts.waitMs ?? 30_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    started: true, url, out: () => out, child, exited,
    async stop(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The line a start that cannot happen ends with. */
export const didNotStart = (problem: string) => `Inbox Companion did not start: ${problem}`;
