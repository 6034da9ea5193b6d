import { expect, it } from 'vitest';
import { APP_INSTALLATION_HEADER } from '../../lib/contracts/apps';
import { eachPaymentsWorld, type PaymentsWorld } from './apps-support';
import { waitFor } from '../support/wait';
import { toJson } from '../../server/store/database';

// An app installed in several workspaces must tell which installation calls its action: the
// subscribe request gave it `installationId`, and every action request names it in
// X-InboxCompanion-Installation-Id (the seed pages say nothing of an action's headers).

/** As node:http hands it to the app's server. */
const HEADER = APP_INSTALLATION_HEADER.toLowerCase();

let world: PaymentsWorld;
eachPaymentsWorld((w) => { world = w; });

/** Installs the app, runs a workflow whose step calls `refund`, and answers the installation the app was told of. */
async function refundOnce(forgedHeader?: string) {
  const { server, payments } = world;
  const admin = server.api(server.adminToken);
  const manifest = payments.manifest();
  const registered = await admin.post('/apps', manifest);
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  payments.setSigningSecret(registered.body.signingSecret);
  const appId = registered.body.app.id as string;
  if (forgedHeader) {
    // Stored before POST /apps refused such a header (app-manifest-refusals.ts): read as it is.
    manifest.actions[0].request.headers['X-InboxCompanion-Installation-Id'] = forgedHeader;
    await server.store.db.updateTable('apps').set({ manifest: toJson(manifest) }).where('id', '=', appId).execute();
  }
  const installed = await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } });
  expect(installed.status, JSON.stringify(installed.body)).toBe(201);
  await admin.post('/contacts', { firstName: 'Grace', phone: '+14155550111' });
  const wf = await admin.post('/workflows', {
    name: 'Refund', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
    steps: [{ id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: 'ord_7' } } }],
  });
  expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
  const key = payments.received.subscribe.at(-1)!.body.apiKey as string;
  const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, { contact: { phone: '+14155550111' }, items: { status: 'paid' } });
  expect(fired.status, JSON.stringify(fired.body)).toBe(202);
  const run = await waitFor('the run to end', async () => {
    const r = (await admin.get(`/runs/${fired.body.runIds[0]}`)).body;
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });
  expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
  return { installationId: payments.received.subscribe.at(-1)!.body.installationId as string, installation: installed.body.id as string };
}

it('names the calling installation in a header, the id the subscribe request carried', async () => {
  const { installationId, installation } = await refundOnce();
  expect(installationId).toBe(installation);
  const refund = world.payments.received.refunds.at(-1)!;
  expect(refund.verified).toBe(true);
  expect(refund.headers[HEADER]).toBe(installationId);
});

it('a stored manifest\'s header of the same name cannot pass for another installation', async () => {
  const { installationId } = await refundOnce('inst_someone_else');
  const refund = world.payments.received.refunds.at(-1)!;
  expect(refund.headers[HEADER]).toBe(installationId);
  expect(JSON.stringify(refund.headers)).not.toContain('inst_someone_else');
});

it('is described where app developers read about the requests they receive (GET /docs/json)', async () => {
  const doc = (await world.server.request('GET', '/docs/json')).body as { tags: { name: string; description: string }[] };
  const apps = doc.tags.find((t) => t.name === 'apps')!.description;
  expect(apps).toContain('`X-InboxCompanion-Installation-Id`: the `installationId` of the installation calling');
  expect(apps).toContain('The signature covers the body only, not this header');
});
