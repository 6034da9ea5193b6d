import { expect } from 'vitest';
import { SCOPES } from '../../lib/contracts/scopes';
import { findToken, issueToken, revokeToken } from '../../server/auth/tokens';
import { startAppSink } from '../support/app-sink';
import type { ApiResponse, TestServer } from '../support/server';

// One workspace holding something of every kind the API serves (workflows of each lifecycle
// state, runs launched by different people, apps installed and not, an ad, a field), built
// through the API as an admin would. Shared by the authorization matrix and the fuzzer.

export const ok = (res: ApiResponse, status: number) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
};

export const shortcutBody = (name = 'Refund') => ({
  name,
  trigger: {
    type: 'shortcut', name, icon: '💸',
    form: { fields: [{ label: 'Order', type: 'text', variable: 'orderId' }, { label: 'Reason', type: 'list', variable: 'reason', options: ['Late', 'Damaged'] }] },
  },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Refund {{$trigger.orderId}}' } }],
});

export const webhookBody = (name = 'Order shipped') => ({
  name,
  trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }] },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} shipped' } }],
});

/** An app with every scope and a trigger; its subscribeUrl is never called unless it is installed (buildWorld's are). */
export const manifest = (key: string, urls: { subscribeUrl: string; unsubscribeUrl?: string } = { subscribeUrl: 'https://apps.example.com/subscribe' }) => ({
  key, name: `App ${key}`, scopes: [...SCOPES], ...urls,
  fields: [{ key: 'order', label: 'Order', type: 'text' }, { key: 'total', label: 'Total', type: 'number' }],
  triggers: [{ key: 'paid', name: 'Order paid', items: ['order', 'total'] }],
});

export const adBody = (adId = 'ad_1') => ({
  adAccountId: 'act_1', adId, name: 'Spring sale', channel: 'whatsapp_cloud_api', status: 'ACTIVE',
  objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP',
});

export interface World {
  contactId: string;
  phone: string;
  conversationId: string;
  shortcutId: string;
  webhookId: string;
  hookPath: string;
  draftId: string;
  doomedId: string;
  appId: string;
  installableAppId: string;
  uninstallableAppId: string;
  /** Registered, never installed nor used: for DELETE /apps/:id. */
  deletableAppId: string;
  runs: { byAgent: string; bySupervisor: string; byWebhook: string };
  tokens: {
    agent: string; restricted: string; supervisor: string; admin: string;
    app: string; revokedApp: string; revoked: string;
  };
}

/** `s` must reach 127.0.0.1 (COMPANION_ALLOW_PRIVATE_URLS): its installed apps' server listens there. */
export async function buildWorld(s: TestServer): Promise<World> {
  const admin = s.api(s.adminToken);
  const appServer = await startAppSink(s);
  const agent = await s.createUser('agent');
  const restricted = await s.createUser('agent');
  const supervisor = await s.createUser('supervisor');
  const revoked = await s.createUser('admin');
  await revokeToken(s.store.db, (await findToken(s.store.db, revoked.token))!.id);
  ok(await admin.patch(`/users/${restricted.user.id}/restrictions`, { shortcutsEnabled: false }), 200);

  const phone = '+14155550123';
  const contactId = ok(await admin.post('/contacts', { firstName: 'World', phone }), 201).id;
  const conversationId = ok(await admin.post('/conversations', { contactId }), 201).id;
  ok(await admin.put('/fields/existing', { label: 'Existing', type: 'text' }), 200);
  ok(await admin.post('/ads', adBody()), 201);

  const shortcutId = ok(await admin.post('/workflows', { ...shortcutBody(), status: 'published' }), 201).id;
  const webhook = ok(await admin.post('/workflows', { ...webhookBody(), status: 'published' }), 201);
  const draftId = ok(await admin.post('/workflows', shortcutBody('Draft')), 201).id;
  const doomedId = ok(await admin.post('/workflows', shortcutBody('Doomed')), 201).id;
  const hookPath = new URL(webhook.trigger.url as string).pathname;

  const launch = async (token: string) =>
    ok(await s.api(token).post(`/shortcuts/${shortcutId}/launch`, { conversationId, values: { orderId: 'A1', reason: 'Late' } }), 202).runId as string;
  const byWebhook = ok(await s.request('POST', hookPath, { body: { phone, order: { id: 7 } } }), 202).runIds[0] as string;
  const runs = { byAgent: await launch(agent.token), bySupervisor: await launch(supervisor.token), byWebhook };

  const register = async (key: string) => ok(await admin.post('/apps', manifest(key, appServer.urls)), 201).app.id as string;
  const appId = await register('world');
  const installationId = ok(await admin.post(`/apps/${appId}/install`, { authValues: {} }), 201).id as string;
  const uninstallableAppId = await register('leaving');
  ok(await admin.post(`/apps/${uninstallableAppId}/install`, { authValues: {} }), 201);
  const installableAppId = await register('arriving');
  const deletableAppId = await register('doomed-app');
  // The install hands its key to the app's server (the sink); the test issues its own as well.
  const appKey = await issueToken(s.store.db, { kind: 'app', installationId, scopes: [...SCOPES] });
  const revokedApp = await issueToken(s.store.db, { kind: 'app', installationId, scopes: [...SCOPES] });
  await revokeToken(s.store.db, revokedApp.id);

  return {
    contactId, phone, conversationId, shortcutId, webhookId: webhook.id, hookPath, draftId, doomedId,
    appId, installableAppId, uninstallableAppId, deletableAppId, runs,
    tokens: {
      agent: agent.token, restricted: restricted.token, supervisor: supervisor.token, admin: s.adminToken,
      app: appKey.token, revokedApp: revokedApp.token, revoked: revoked.token,
    },
  };
}
