import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../../server/auth/tokens';
import { generateSigningSecret, signHeaders } from '../../../server/signing/standard-webhooks';
import { sealStoredSecrets } from '../../../server/secrets/at-rest';
import { nowIso } from '../../../server/ids';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';

// Issue 14: webhook URL tokens, app signing secrets and installation auth values are not stored in plain text.
let server: TestServer;
afterEach(async () => { await server?.close(); });

/** Every text column of a table's rows, joined: what someone holding the database file could read. */
async function dump(table: 'workflows' | 'apps' | 'installations' | 'workflow_versions') {
  const rows = await server.store.db.selectFrom(table).selectAll().execute();
  return JSON.stringify(rows);
}

describe('secrets at rest', () => {
  it('keeps no webhook URL token in the database, and still shows the URL and takes deliveries', async () => {
    server = await startTestServer({ workers: false });
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const token = hook.path.split('/').pop()!;
    for (const table of ['workflows', 'workflow_versions'] as const) expect(await dump(table)).not.toContain(token);
    const shown = await server.api(server.adminToken).get(`/workflows/${hook.id}`);
    expect(shown.body.trigger.url).toBe(`${server.url}/hooks/${token}`);
    expect((await server.request('POST', hook.path, { body: { phone: '+14155550123' } })).status).toBe(202);
    const regenerated = await server.api(server.adminToken).post(`/workflows/${hook.id}/webhook/regenerate`);
    const fresh = new URL(regenerated.body.url).pathname;
    expect(await dump('workflows')).not.toContain(fresh.split('/').pop()!);
    expect((await server.request('POST', hook.path, { body: { phone: '+14155550123' } })).status).toBe(404);
    expect((await server.request('POST', fresh, { body: { phone: '+14155550123' } })).status).toBe(202);
  });

  it('keeps a webhook signing secret out of the stored definition and its versions; signatures still verify', async () => {
    server = await startTestServer({ workers: false });
    await makeContact(server, { phone: '+14155550123' });
    const secret = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server, { signingSecret: secret });
    const key = secret.slice('whsec_'.length);
    for (const table of ['workflows', 'workflow_versions'] as const) expect(await dump(table)).not.toContain(key);
    expect((await server.api(server.adminToken).get(`/workflows/${hook.id}`)).body.trigger.signingSecret).toBe(secret);
    const body = JSON.stringify({ phone: '+14155550123', order: { id: 'A' } });
    const signed = await server.request('POST', hook.path, { body, headers: { 'content-type': 'application/json', ...signHeaders(secret, { id: 'msg_1', timestamp: new Date(), body }) } });
    expect(signed.status).toBe(202);
    const unsigned = await server.request('POST', hook.path, { body, headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
  });

  it('converts rows stored in plain text by an earlier version', async () => {
    server = await startTestServer({ workers: false });
    const { db, vault } = server.app.services;
    const now = nowIso();
    await db.insertInto('apps').values({ id: 'app_old', key: 'old', manifest: '{}', signing_secret: 'whsec_b2xkLXNlY3JldC1rZXk=', created_at: now }).execute();
    await db.insertInto('installations').values({ id: 'ins_old', app_id: 'app_old', auth_values: '{"apiKey":"sk_live_old_value"}', token_id: 'tok_x', created_at: now }).execute();
    await db.insertInto('workflows').values({
      id: 'wf_old', name: 'old', status: 'published', trigger_type: 'incoming_webhook', version: 1, webhook_token: 'old-plain-token-0123456789',
      definition: JSON.stringify({ name: 'old', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, signingSecret: 'whsec_c2lnbmluZy1vbGQtc2VjcmV0' }, steps: [] }),
      created_at: now, updated_at: now, published_at: now,
    }).execute();
    await db.insertInto('workflow_versions').values({ workflow_id: 'wf_old', version: 1, definition: JSON.stringify({ trigger: { signingSecret: 'whsec_c2lnbmluZy1vbGQtc2VjcmV0' } }), created_at: now }).execute();
    await sealStoredSecrets(db, vault);
    await sealStoredSecrets(db, vault); // idempotent
    const all = (await dump('apps')) + (await dump('installations')) + (await dump('workflows')) + (await dump('workflow_versions'));
    for (const secret of ['b2xkLXNlY3JldC1rZXk', 'sk_live_old_value', 'old-plain-token-0123456789', 'c2lnbmluZy1vbGQtc2VjcmV0']) expect(all).not.toContain(secret);
    const app = await db.selectFrom('apps').select('signing_secret').where('id', '=', 'app_old').executeTakeFirstOrThrow();
    expect(vault.open(app.signing_secret)).toBe('whsec_b2xkLXNlY3JldC1rZXk=');
    const inst = await db.selectFrom('installations').select('auth_values').where('id', '=', 'ins_old').executeTakeFirstOrThrow();
    expect(JSON.parse(vault.open(inst.auth_values))).toEqual({ apiKey: 'sk_live_old_value' });
    const wf = await db.selectFrom('workflows').select(['webhook_token_hash']).where('id', '=', 'wf_old').executeTakeFirstOrThrow();
    expect(wf.webhook_token_hash).toBe(hashToken('old-plain-token-0123456789'));
    const shown = await server.api(server.adminToken).get('/workflows/wf_old');
    expect(shown.body.trigger).toMatchObject({ signingSecret: 'whsec_c2lnbmluZy1vbGQtc2VjcmV0', url: `${server.url}/hooks/old-plain-token-0123456789` });
  });
});
