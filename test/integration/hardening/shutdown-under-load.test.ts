import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttempt } from '../../support/start-attempt';

// SIGTERM to `npm start`'s process while senders keep it busy on kept-alive connections (fetch:
// undici's pooled keep-alive connections, as webhook senders and nginx upstreams keep them).
// What can be promised: every request the server took off a connection gets an HTTP answer (200,
// or 503 shutting_down with Connection: close); none is reset. A sender's next connection after
// that is refused (the listener is closed), which tells it that nothing was sent.

type Outcome = { sender: number; afterSigterm: boolean; status?: number; connection?: string | null; retryAfter?: string | null; body?: string; error?: string };
const SENDERS = 16;

describe('SIGTERM while requests keep coming on kept-alive connections', () => {
  let root: string;
  beforeAll(async () => { root = await mkdtemp(path.join(tmpdir(), 'companion-shutdown-load-')); });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  it('answers every request it took (200 or 503 with Connection: close), resets none, and exits 0', async () => {
    const admin = 'ict_shutdown_load_admin_token_0123456789ab';
    const server = await startAttempt({ DATA_DIR: root, COMPANION_ADMIN_TOKEN: admin, RATE_LIMIT_PER_MINUTE: '1000000' });
    if (!server.started) throw new Error(`did not start:\n${server.out}`);
    const outcomes: Outcome[] = [];
    let sigterm = false;
    const send = async (sender: number) => {
      for (;;) {
        const afterSigterm = sigterm;
        try {
          const res = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${admin}` } });
          outcomes.push({ sender, afterSigterm, status: res.status, connection: res.headers.get('connection'), retryAfter: res.headers.get('retry-after'), body: await res.text() });
        } catch (err) {
          // What a sender sees: undici's socket error in `cause` (UND_ERR_SOCKET "other side closed", ECONNRESET, ECONNREFUSED).
          outcomes.push({ sender, afterSigterm, error: String((err as { cause?: { code?: string } }).cause?.code ?? err) });
          return;
        }
      }
    };
    const senders = Array.from({ length: SENDERS }, (_, i) => send(i));
    await new Promise((r) => setTimeout(r, 800));
    sigterm = true;
    server.child.kill('SIGTERM');
    await Promise.all(senders);
    expect(await server.exited).toBe(0);

    const errors = outcomes.filter((o) => o.error);
    // None reset; only a new connection after the listener closed is refused (nothing was sent on it).
    expect(errors.filter((o) => o.error !== 'ECONNREFUSED'), JSON.stringify(errors)).toEqual([]);
    expect(outcomes.filter((o) => !o.error && o.status !== 200 && o.status !== 503)).toEqual([]);
    const closing = outcomes.filter((o) => o.status === 503);
    expect(closing.length).toBeGreaterThan(0);
    for (const o of closing) {
      expect(o).toMatchObject({ afterSigterm: true, connection: 'close', retryAfter: '1' });
      expect(JSON.parse(o.body!)).toEqual({ error: { code: 'shutting_down', message: 'The server is shutting down; try again in a moment' } });
    }
    // Each sender's connection was closed by an answer that said so before its next one was refused.
    for (let sender = 0; sender < SENDERS; sender++) {
      const mine = outcomes.filter((o) => o.sender === sender);
      expect(mine.at(-1)!.error).toBe('ECONNREFUSED');
      expect(mine.at(-2), JSON.stringify(mine.slice(-3))).toMatchObject({ connection: 'close' });
    }
  }, 60_000);
});
