import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killHard, spawnServer, type ServerProcess } from '../../support/process';

// kill -9 under load, on the built server `npm start` runs: every webhook that got a 202 has its run completed after a restart,
// and none ran twice.
const ADMIN = 'ict_kill-restart-test-admin-token-000000000000';
let dataDir = '';
let proc: ServerProcess | undefined;
afterAll(async () => {
  if (proc) await killHard(proc);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const call = async (url: string, method: string, p: string, body?: unknown) => {
  const res = await fetch(url + p, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => undefined) as any };
};

describe('webhook ingestion survives SIGKILL', () => {
  it('every acknowledged delivery has exactly one completed run', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'companion-kill-'));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, RATE_LIMIT_PER_MINUTE: '1000000' };
    proc = await spawnServer(env, port, { built: true });
    // The built server (dist/server.mjs, what `npm start` runs) finds the inbox's pages.
    const inbox = await fetch(`${proc.url}/inbox/assets/app.js`);
    expect(inbox.status).toBe(200);
    expect(await inbox.text()).toContain('import');
    const contact = await call(proc.url, 'POST', '/api/v1/contacts', { firstName: 'Load', phone: '+14155550123' });
    expect(contact.status).toBe(201);
    const wf = await call(proc.url, 'POST', '/api/v1/workflows', {
      name: 'count', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.n', variable: 'n' }] },
      steps: [
        { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['loaded'] } },
        { id: 'note', type: 'add_comment', config: { text: 'delivery {{$trigger.n}}' } },
      ],
    });
    expect(wf.status).toBe(201);
    expect((await call(proc.url, 'POST', `/api/v1/workflows/${wf.body.id}/publish`)).status).toBe(200);
    const conv = await call(proc.url, 'POST', '/api/v1/conversations', { contactId: contact.body.id });
    const hook = new URL(wf.body.trigger.url).pathname;

    // Fire deliveries from 8 concurrent senders; kill the server while they are in flight.
    const acked: number[] = [];
    let n = 0;
    const url = proc.url;
    const sender = async () => {
      for (;;) {
        const mine = n++;
        if (mine >= 400) return;
        try {
          const res = await fetch(url + hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '+14155550123', n: mine }) });
          if (res.status === 202) acked.push(mine);
        } catch { return; /* the server is gone */ }
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    await new Promise((r) => setTimeout(r, 400));
    await killHard(proc);
    await Promise.all(senders);
    expect(acked.length).toBeGreaterThan(10);

    proc = await spawnServer(env, port, { built: true });
    const until = Date.now() + 60_000;
    let runs: any[] = [];
    for (;;) {
      runs = [];
      let cursor: string | null = null;
      do {
        const res: { body?: { runs?: any[]; nextCursor?: string | null } } = await call(proc.url, 'GET', `/api/v1/workflows/${wf.body.id}/runs?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        runs.push(...(res.body?.runs ?? []));
        cursor = res.body?.nextCursor ?? null;
      } while (cursor);
      if (runs.length >= acked.length && runs.every((r) => r.status === 'completed')) break;
      if (Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const ran = runs.filter((r) => r.status === 'completed').map((r) => Number(r.variables.trigger.n));
    for (const a of acked) expect(ran).toContain(a);
    // The whole thread, page by page (GET /conversations/:id holds only the latest 50).
    const thread: any[] = [];
    let before: string | null = null;
    do {
      const page: { body?: { messages?: any[]; nextCursor?: string | null } } = await call(proc.url, 'GET', `/api/v1/conversations/${conv.body.id}/messages?limit=200${before ? `&cursor=${before}` : ''}`);
      thread.push(...(page.body?.messages ?? []));
      before = page.body?.nextCursor ?? null;
    } while (before);
    const notes = thread.filter((m: any) => m.kind === 'comment').map((m: any) => m.text);
    // Exactly once: one note per completed run, no duplicates.
    expect(new Set(notes).size).toBe(notes.length);
    expect(notes.length).toBe(ran.length);
  });
});
