import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../server/server';
import type { Store } from '../../../server/store/database';
import { pgCommandStore } from '../../support/pg-command-store';
import { describePg } from '../../support/postgres';
import { waitFor } from '../../support/wait';
import { runForgetSecrets } from './forget-secrets-support';

// `npm run forget-secrets -- --yes` run from an instance whose settings lack the key while another
// instance still runs on the same PostgreSQL database (which has the key: it started): it forgot
// every credential the running server could open, sealed the check value with a new key, and the
// running server went on sealing with the old one, so what was entered there next could not be
// opened after its restart. The command says "stop every server first"; now it refuses while one runs.

const keyA = Buffer.alloc(32, 21).toString('base64');
const keyB = Buffer.alloc(32, 22).toString('base64');

let side: ReturnType<typeof pgCommandStore> | undefined;
let store: Store | undefined;
let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  await store?.close();
  await side?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describePg('npm run forget-secrets while a server runs on the database (PostgreSQL)', () => {
  it('refuses and changes nothing while the server runs; once it stopped, it forgets', async () => {
    side = pgCommandStore();
    dir = await mkdtemp(path.join(tmpdir(), 'forget-running-'));
    store = await side.open();
    server = await startServer({ env: { COMPANION_DEMO: '0', COMPANION_SECRET_KEY: keyA }, config: { port: 0, dataDir: path.join(dir, 'a') }, logger: false, store });
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${server!.url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${server!.tokens.admin}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: await res.json() as Record<string, any> };
    };
    const hook = await call('POST', '/workflows', {
      name: 'Order shipped', status: 'published', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, signingSecret: `whsec_${Buffer.alloc(24, 7).toString('base64')}` },
      steps: [{ id: 'note', type: 'add_comment', config: { text: 'Shipped' } }],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    await waitFor('the server to say it runs', async () => ((await store!.db.selectFrom('engine_peers').select('id').execute()).length > 0 ? true : undefined), 10_000);
    const sealed = () => store!.db.selectFrom('workflows').select(['webhook_token', 'webhook_signing_secret']).execute();
    const before = await sealed();

    const command = { ...side.commandEnv(), COMPANION_SECRET_KEY: keyB, DATA_DIR: path.join(dir, 'b') };
    const refused = await runForgetSecrets(command, ['--yes']);
    expect(refused.code, refused.out).toBe(1);
    // Where it runs: its pid and the address it connects from (instances on several machines).
    expect(refused.out).toMatch(new RegExp(`^forget-secrets: a server is running on this database \\(instance ${server.config.instanceId}: pid ${process.pid} from 127\\.0\\.0\\.1\\); nothing was changed\\. If one of them opens the credentials \\(it was started with the key they were sealed with\\), nothing is lost: give that key \\(its COMPANION_SECRET_KEY, or the secret-key file in its DATA_DIR\\) to every instance without it instead\\. If none does \\(that key is lost and they run with a new one\\), stop every server on this database first, then run this again with the new key\\.$`));
    expect(await sealed()).toEqual(before);
    // The running server still reads its webhook's URL and secret.
    const read = await call('GET', `/workflows/${hook.body.id}`);
    expect(read.body.trigger.url).toMatch(/\/hooks\//);
    expect(read.body).not.toHaveProperty('unreadableSecrets');

    await server.close();
    server = undefined;
    const forgot = await runForgetSecrets(command, ['--yes']);
    expect(forgot.code, forgot.out).toBe(0);
    expect(forgot.out).toContain('"Order shipped" (URL, signing secret)');
  }, 60_000);

  // An instance that only serves requests (COMPANION_WORKERS=0, README) executes no runs, so
  // engine_peers never heard of it: the command forgot everything while it ran with the key.
  it('refuses while a server that only serves requests (COMPANION_WORKERS=0) runs', async () => {
    side = pgCommandStore();
    dir = await mkdtemp(path.join(tmpdir(), 'forget-running-'));
    store = await side.open();
    server = await startServer({ env: { COMPANION_DEMO: '0', COMPANION_SECRET_KEY: keyA, COMPANION_WORKERS: '0' }, config: { port: 0, dataDir: path.join(dir, 'a') }, logger: false, store });
    const res = await fetch(`${server.url}/api/v1/workflows`, {
      method: 'POST', headers: { authorization: `Bearer ${server.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Order shipped', status: 'published', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'Shipped' } }] }),
    });
    expect(res.status).toBe(201);
    expect(await store.db.selectFrom('engine_peers').select('id').execute()).toEqual([]);
    const sealed = () => store!.db.selectFrom('workflows').select(['webhook_token']).execute();
    const before = await sealed();

    const command = { ...side.commandEnv(), COMPANION_SECRET_KEY: keyB, DATA_DIR: path.join(dir, 'b') };
    const refused = await runForgetSecrets(command, ['--yes']);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toMatch(/^forget-secrets: a server is running on this database \(instance \d+-\w+: pid \d+ from 127\.0\.0\.1\); nothing was changed\./);
    expect(await sealed()).toEqual(before);

    await server.close();
    server = undefined;
    const forgot = await runForgetSecrets(command, ['--yes']);
    expect(forgot.code, forgot.out).toBe(0);
  }, 60_000);
});
