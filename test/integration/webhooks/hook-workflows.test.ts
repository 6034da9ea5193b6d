import { afterEach, beforeEach, expect, it, describe } from 'vitest';
import { HookWorkflowCache } from '../../../server/webhooks/hook-workflows';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

describe('webhook URL → workflow cache', () => {
  let server: TestServer;
  beforeEach(async () => { server = await start(); });
  afterEach(async () => { await server?.close(); });
  const start = () => startTestServer({ workers: false });

  const tokenOf = (path: string) => path.split('/').pop()!;
  // Behind the API's back: no definitions.changed, so only the cache's own rules decide what is seen.
  const setStatusQuietly = (id: string, status: string) => server.store.db.updateTable('workflows').set({ status }).where('id', '=', id).execute();

  it('answers from memory until a workflow change is announced, or until its 5 s are up', async () => {
    const hook = await publishWebhookWorkflow(server);
    const cache = HookWorkflowCache.of(server.app.services);
    const token = tokenOf(hook.path);
    const now = Date.now();
    expect((await cache.get(server.store.db, [token, 'no-such-token'], now)).get(token)?.status).toBe('published');
    await setStatusQuietly(hook.id, 'draft');
    expect((await cache.get(server.store.db, [token], now + 4_000)).get(token)?.status).toBe('published');
    expect((await cache.get(server.store.db, [token], now + 5_001)).get(token)?.status).toBe('draft');

    await setStatusQuietly(hook.id, 'published');
    const again = HookWorkflowCache.of(server.app.services);
    expect((await again.get(server.store.db, [token])).get(token)?.status).toBe('published');
    await setStatusQuietly(hook.id, 'draft');
    expect((await again.get(server.store.db, [token])).get(token)?.status).toBe('published');
    server.app.services.live.publish({ type: 'definitions.changed', version: 'v' });
    expect((await again.get(server.store.db, [token])).get(token)?.status).toBe('draft');
  });

  it('does not keep a row read while a change was being announced', async () => {
    const hook = await publishWebhookWorkflow(server);
    const cache = HookWorkflowCache.of(server.app.services);
    const token = tokenOf(hook.path);
    const reading = cache.get(server.store.db, [token]);
    cache.clear(); // the change lands while the read is on its way
    expect((await reading).get(token)?.status).toBe('published');
    await setStatusQuietly(hook.id, 'draft');
    expect((await cache.get(server.store.db, [token])).get(token)?.status).toBe('draft');
  });

  it('over HTTP: a new URL, an unpublish and a republish count from the next delivery on', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const admin = server.api(server.adminToken);
    const post = (path: string) => server.request('POST', path, { body: { phone: '+14155550123' } });
    expect((await post(hook.path)).status).toBe(202); // cached from here on
    const regenerated = await admin.post(`/workflows/${hook.id}/webhook/regenerate`);
    const fresh = new URL(regenerated.body.url).pathname;
    expect((await post(hook.path)).status).toBe(404);
    expect((await post(fresh)).status).toBe(202);
    expect((await admin.post(`/workflows/${hook.id}/unpublish`)).status).toBe(200);
    expect((await post(fresh)).status).toBe(404);
    expect((await admin.post(`/workflows/${hook.id}/publish`)).status).toBe(200);
    expect((await post(fresh)).status).toBe(202);
  });
});
