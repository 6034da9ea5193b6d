import { expect, it } from 'vitest';
import { APP_INSTALLATION_HEADER } from '../../lib/contracts/apps';
import { waitFor } from '../support/wait';
import { eachPaymentsWorld, registerAndInstallPayments, type PaymentsWorld } from './apps-support';

// Every action call names its installation in X-InboxCompanion-Installation-Id; an app that routes
// its requests by that header (one handler per installation, say) must find it on the subscribe
// that brings the key, on a key rotation and on the unsubscribe too, next to the body's
// `installationId`. Over real HTTP to the example Payments app, which keeps each request's headers.

/** As node:http hands it to the app's server. */
const HEADER = APP_INSTALLATION_HEADER.toLowerCase();

let world: PaymentsWorld;
eachPaymentsWorld((w) => { world = w; });

const admin = () => world.server.api(world.server.adminToken);

it('names the installation in the header of the subscribe, the rotation\'s subscribe and the unsubscribe', async () => {
  const { payments } = world;
  const { appId } = await registerAndInstallPayments(world.server, payments);
  const installationId = (await admin().get(`/apps/${appId}`)).body.installation.id as string;

  const subscribe = payments.received.subscribe.at(-1)!;
  expect(subscribe.verified).toBe(true);
  expect(subscribe.body).toMatchObject({ installationId, reason: 'installed' });
  expect(subscribe.headers[HEADER]).toBe(installationId);

  const rotated = await admin().post(`/apps/${appId}/install/api-key/rotate`);
  expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
  const again = payments.received.subscribe.at(-1)!;
  expect(again.body).toMatchObject({ installationId, reason: 'key_rotated' });
  expect(again.headers[HEADER]).toBe(installationId);

  expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
  const unsubscribe = await waitFor('the unsubscribe request', async () => payments.received.unsubscribe[0]);
  expect(unsubscribe.verified).toBe(true);
  expect(unsubscribe.body).toMatchObject({ installationId, reason: 'uninstalled' });
  expect(unsubscribe.headers[HEADER]).toBe(installationId);
  // The same sender as the subscribe, for an app (or its firewall) that admits it by user agent.
  expect(unsubscribe.headers['user-agent']).toBe(subscribe.headers['user-agent']);
  expect(subscribe.headers['user-agent']).toBe('InboxCompanion-MiniApp/1');
});

it('a second installation\'s requests carry its own id, not the first one\'s', async () => {
  const { payments } = world;
  const { appId } = await registerAndInstallPayments(world.server, payments);
  const first = payments.received.subscribe.at(-1)!.body.installationId as string;
  expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
  expect((await admin().post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } })).status).toBe(201);
  const second = payments.received.subscribe.at(-1)!;
  expect(second.body.installationId).not.toBe(first);
  expect(second.headers[HEADER]).toBe(second.body.installationId);
});

it('documents the header on both requests under x-webhooks (GET /docs/json)', async () => {
  type Hook = { post: { parameters: { name: string; in: string; required?: boolean; description?: string }[] } };
  const doc = (await world.server.request('GET', '/docs/json')).body as { 'x-webhooks': Record<string, Hook> };
  for (const hook of ['appSubscribe', 'appUnsubscribe']) {
    const header = doc['x-webhooks'][hook]!.post.parameters.find((p) => p.name === APP_INSTALLATION_HEADER);
    expect(header, hook).toMatchObject({ in: 'header', required: true });
    expect(header!.description).toContain('`installationId`');
  }
});
