import { afterEach, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type ApiResponse, type TestServer } from '../support/server';

// An uninstall and a publish at the same time on PostgreSQL end in a 409 or a 422, never in a
// published workflow using an app that is not installed: the uninstall deletes the installation
// first (its row stays locked), the publish reads it FOR SHARE (publish-checks.ts).

describePg('uninstalling an app while a workflow using it is published, on PostgreSQL', () => {
  let server: TestServer | undefined;
  let payments: PaymentApp | undefined;
  afterEach(async () => {
    await payments?.close();
    await server?.close();
  });

  async function setUp() {
    server = await startTestServer({ databaseUrl: pgUrl(), workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    payments = await startPaymentApp({ port: 0, companionUrl: server.url });
    const admin = server.api(server.adminToken);
    const registered = (await admin.post('/apps', payments.manifest())).body;
    payments.setSigningSecret(registered.signingSecret);
    const appId = registered.app.id as string;
    expect((await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } })).status).toBe(201);
    const draft = await admin.post('/workflows', {
      name: 'Racer', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['refund'] },
      steps: [{ id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: 'A1' } } }],
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    return { admin, appId, db: server.store.db, draftId: draft.body.id as string };
  }

  it('an uninstall waits for a publish that has read the installation, then names the workflow (409)', async () => {
    const { admin, appId, db, draftId } = await setUp();
    let uninstalled: Promise<ApiResponse> | undefined;
    // What a publish does, held open: it read the installation, the uninstall arrives, the publish commits.
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('installations').select('id').where('app_id', '=', appId).forShare().execute();
      uninstalled = admin.del(`/apps/${appId}/install`);
      await new Promise((r) => setTimeout(r, 300));
      await trx.updateTable('workflows').set({ status: 'published' }).where('id', '=', draftId).execute();
    });
    const answer = await uninstalled!;
    expect(answer.status, JSON.stringify(answer.body)).toBe(409);
    expect(answer.body.error.message).toContain('"Racer" (action "refund")');
    expect((await admin.get(`/apps/${appId}`)).body.installation).not.toBeNull();
  });

  it('a publish waits for an uninstall that has removed the installation, then says the app is not installed (422)', async () => {
    const { admin, appId, db, draftId } = await setUp();
    let published: Promise<ApiResponse> | undefined;
    // What an uninstall does, held open: the installation is deleted first, the publish arrives, the uninstall commits.
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('installations').where('app_id', '=', appId).execute();
      published = admin.post(`/workflows/${draftId}/publish`);
      await new Promise((r) => setTimeout(r, 300));
    });
    const answer = await published!;
    expect(answer.status, JSON.stringify(answer.body)).toBe(422);
    expect(answer.body.error.details).toEqual([{ path: 'steps.0.config.appId', message: 'The app "Payments" is not installed; install it first' }]);
    expect((await admin.get(`/workflows/${draftId}`)).body.status).toBe('draft');
  });
});
