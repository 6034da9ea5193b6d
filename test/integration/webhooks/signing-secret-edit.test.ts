import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workflow } from '../../../lib/contracts/workflow';
import { generateSigningSecret, signHeaders } from '../../../server/signing/standard-webhooks';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

// An edit that does not send the signing secret keeps it (as it keeps the URL): only an explicit
// `signingSecret: null` turns signature checks off. Before, a rename through PUT (an API client
// sending the trigger without the secret) silently dropped it and unsigned deliveries got 202.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);
const body = JSON.stringify({ phone: '+14155550123', order: { id: 'A-1' } });
let messages = 0;
const deliver = (path: string, secret?: string) => server.request('POST', path, {
  body,
  headers: { 'content-type': 'application/json', ...(secret ? signHeaders(secret, { id: `msg_${++messages}`, timestamp: new Date(), body }) : {}) },
});

/** The workflow as an API client would send it back: the trigger without `url` and `signingSecret`. */
async function withoutSecret(id: string) {
  const wf = Workflow.parse((await admin().get(`/workflows/${id}`)).body);
  if (wf.trigger.type !== 'incoming_webhook') throw new Error('not a webhook workflow');
  const { url: _url, signingSecret: _secret, ...trigger } = wf.trigger;
  return { name: wf.name, trigger, oncePerContact: wf.oncePerContact, steps: wf.steps };
}

async function storedSecret(id: string) {
  const row = await server.store.db.selectFrom('workflows').select('webhook_signing_secret').where('id', '=', id).executeTakeFirstOrThrow();
  return row.webhook_signing_secret ? server.app.services.vault.open(row.webhook_signing_secret) : null;
}

describe('editing a signed incoming-webhook workflow', () => {
  it('keeps the signing secret when the edit leaves it out (a rename): unsigned deliveries still get 401', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const secret = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server, { signingSecret: secret });
    expect((await deliver(hook.path)).status).toBe(401);

    const def = await withoutSecret(hook.id);
    expect(JSON.stringify(def)).not.toContain('signingSecret');
    const renamed = await admin().put(`/workflows/${hook.id}`, { ...def, name: 'Renamed' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.name).toBe('Renamed');
    expect(renamed.body.trigger.signingSecret).toBe(secret);
    expect((await admin().get(`/workflows/${hook.id}`)).body.trigger.signingSecret).toBe(secret);
    expect(await storedSecret(hook.id)).toBe(secret);

    expect((await deliver(hook.path)).status).toBe(401);
    expect((await deliver(hook.path, secret)).status).toBe(202);
    // Still only in its sealed column: neither the definition nor its versions carry it.
    const key = secret.slice('whsec_'.length);
    expect(JSON.stringify(await server.store.db.selectFrom('workflow_versions').selectAll().execute())).not.toContain(key);
    expect(JSON.stringify(await server.store.db.selectFrom('workflows').select('definition').execute())).not.toContain(key);
  });

  it('keeps it through several edits of a draft too, until `signingSecret: null` removes it', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const secret = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server, { signingSecret: secret });
    expect((await admin().post(`/workflows/${hook.id}/unpublish`)).status).toBe(200);
    for (const name of ['One', 'Two']) {
      const def = await withoutSecret(hook.id);
      expect((await admin().put(`/workflows/${hook.id}`, { ...def, name })).status).toBe(200);
    }
    expect((await admin().post(`/workflows/${hook.id}/publish`)).status).toBe(200);
    expect((await deliver(hook.path)).status).toBe(401);

    const def = await withoutSecret(hook.id);
    const removed = await admin().put(`/workflows/${hook.id}`, { ...def, trigger: { ...def.trigger, signingSecret: null } });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.trigger.signingSecret ?? null).toBeNull();
    expect(await storedSecret(hook.id)).toBeNull();
    expect((await deliver(hook.path)).status).toBe(202);
  });

  it('replaces it with a new value; the old one no longer verifies', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const first = generateSigningSecret();
    const second = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server, { signingSecret: first });
    const def = await withoutSecret(hook.id);
    const replaced = await admin().put(`/workflows/${hook.id}`, { ...def, trigger: { ...def.trigger, signingSecret: second } });
    expect(replaced.body.trigger.signingSecret).toBe(second);
    expect((await deliver(hook.path, first)).status).toBe(401);
    expect((await deliver(hook.path, second)).status).toBe(202);
    // The options page sends back what it was shown: the same secret stays.
    const shown = Workflow.parse((await admin().get(`/workflows/${hook.id}`)).body);
    const { id: _id, status: _s, version: _v, createdAt: _c, updatedAt: _u, publishedAt: _p, ...asShown } = shown;
    expect((await admin().put(`/workflows/${hook.id}`, { ...asShown, name: 'Again' })).body.trigger.signingSecret).toBe(second);
    expect((await deliver(hook.path)).status).toBe(401);
  });

  it('drops it when the trigger stops being a webhook; coming back needs a new secret', async () => {
    const secret = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server, { signingSecret: secret });
    expect((await admin().post(`/workflows/${hook.id}/unpublish`)).status).toBe(200);
    const def = await withoutSecret(hook.id);
    expect((await admin().put(`/workflows/${hook.id}`, { ...def, trigger: { type: 'manual' } })).status).toBe(200);
    expect(await storedSecret(hook.id)).toBeNull();
    const back = await admin().put(`/workflows/${hook.id}`, def);
    expect(back.status).toBe(200);
    expect(back.body.trigger.signingSecret ?? null).toBeNull();
  });

  it('documents the rule in the OpenAPI description of the trigger', async () => {
    const doc = (await server.request('GET', '/docs/json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(JSON.stringify(doc.paths['/api/v1/workflows/{id}']?.put)).toContain('left out keeps the stored secret, null removes it');
  });
});
