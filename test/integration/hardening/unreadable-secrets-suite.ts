import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createVault } from '../../../server/secrets/vault';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';

// A workflow whose webhook URL token and signing secret were sealed under another secret key (a
// row written by an instance with a key of its own, before starts checked the key): the whole
// list and the workflow itself answered 500 "internal". Now the workflow is shown without them,
// flagged; its deliveries are refused with a 503 that says why, and the rest keeps working.
// Run on SQLite (unreadable-secrets.test.ts) and PostgreSQL (unreadable-secrets.pg.test.ts).

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

export function unreadableSecretsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  beforeEach(async () => { server = await startTestServer({ databaseUrl: databaseUrl(), workers: false }); });
  afterEach(async () => { await server.close(); });
  const admin = () => server.api(server.adminToken);
  const deliver = (p: string) => server.request('POST', p, { body: { phone: '+14155550123', order: { id: '7' } } });

  it('lists and shows the workflow without what cannot be opened, flagged; its deliveries get 503, others go on', async () => {
    await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
    const foreign = await publishWebhookWorkflow(server, { signingSecret: SECRET });
    const fine = await publishWebhookWorkflow(server);
    const other = createVault({ secretKey: randomBytes(32).toString('base64'), dataDir: '/nonexistent' });
    await server.store.db.updateTable('workflows')
      .set({ webhook_token: other.seal('some-token'), webhook_signing_secret: other.seal(SECRET) })
      .where('id', '=', foreign.id).execute();

    const list = await admin().get('/workflows');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const listed = new Map((list.body.workflows as { id: string; trigger: { url?: string; signingSecret?: string }; unreadableSecrets?: string[] }[]).map((w) => [w.id, w]));
    expect(listed.get(foreign.id)).toMatchObject({ unreadableSecrets: ['url', 'signingSecret'] });
    expect(listed.get(foreign.id)!.trigger.url).toBeUndefined();
    expect(listed.get(foreign.id)!.trigger.signingSecret).toBeUndefined();
    expect(listed.get(fine.id)!.unreadableSecrets).toBeUndefined();
    expect(listed.get(fine.id)!.trigger.url).toMatch(/\/hooks\//);

    const one = await admin().get(`/workflows/${foreign.id}`);
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toMatchObject({ id: foreign.id, unreadableSecrets: ['url', 'signingSecret'] });

    // Its URL still finds it (by hash); the secret that would check the signature cannot be opened.
    const refused = await deliver(foreign.path);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: { code: 'signing_secret_unreadable' } });
    expect((await deliver(fine.path)).status).toBe(202);

    // The admin's way out: a new URL, the secret set again.
    const regenerated = await admin().post(`/workflows/${foreign.id}/webhook/regenerate`);
    expect(regenerated.status).toBe(200);
    const { unreadableSecrets: _flag, id: _id, status: _status, version: _version, createdAt: _c, updatedAt: _u, publishedAt: _p, ...definition } = one.body;
    const put = await admin().put(`/workflows/${foreign.id}`, { ...definition, trigger: { ...definition.trigger, signingSecret: SECRET } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.unreadableSecrets).toBeUndefined();
    expect(put.body.trigger.url).toBe(regenerated.body.url);
  });
}
