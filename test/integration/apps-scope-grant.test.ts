import { expect, it } from 'vitest';
import type { PaymentApp } from '../../examples/payment-app/server';
import type { TestServer } from '../support/server';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';

// "Update the app, the admin approves the new scopes": an update (PUT /apps/:id) that asks for
// more scopes while installed is saved, but the live key is not widened behind the app's back.
// The admin grants them by regenerating the key with the manifest's scopes (?scopes=apply): the
// wider key reaches the app's server in a subscribe request, and the old key stops working.
// Over real HTTP with the example Payments app (it tries each key it is sent before answering).

let server: TestServer;
let payments: PaymentApp;
eachPaymentsWorld((world) => ({ server, payments } = world));

const admin = () => server.api(server.adminToken);
const createContact = (key: string) => server.api(key).post('/contacts', { firstName: 'Grace', phone: '+14155550111' });

it('saves added scopes as waiting for the admin, and grants them only through a new key sent to the app', async () => {
  const { appId, key } = await registerAndInstallPayments(server, payments);
  const wider = { ...payments.manifest(), scopes: ['contacts.read', 'tags.write', 'contacts.write'] };
  const updated = await admin().put(`/apps/${appId}`, wider);
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
  expect(updated.body.installation).toMatchObject({ scopes: ['contacts.read', 'tags.write'], scopesToGrant: ['contacts.write'] });
  const refused = await createContact(key);
  expect(refused.status).toBe(403);
  expect(refused.body.error.message).toBe('This API key lacks the contacts.write scope');

  // A plain regeneration keeps the scopes the key holds.
  const kept = await admin().post(`/apps/${appId}/install/api-key/rotate`);
  expect(kept.status, JSON.stringify(kept.body)).toBe(200);
  expect(kept.body.installation.scopesToGrant).toEqual(['contacts.write']);
  expect(payments.received.subscribe.at(-1)!.body).toMatchObject({ reason: 'key_rotated', scopes: ['contacts.read', 'tags.write'] });
  const keptKey = payments.received.subscribe.at(-1)!.body.apiKey as string;
  expect((await createContact(keptKey)).status).toBe(403);

  const granted = await admin().post(`/apps/${appId}/install/api-key/rotate?scopes=apply`);
  expect(granted.status, JSON.stringify(granted.body)).toBe(200);
  expect(granted.body.installation).toMatchObject({ scopes: ['contacts.read', 'tags.write', 'contacts.write'], scopesToGrant: [] });
  const sent = payments.received.subscribe.at(-1)!.body;
  expect(sent).toMatchObject({ reason: 'key_rotated', scopes: ['contacts.read', 'tags.write', 'contacts.write'] });
  // The app stored it under the same installation, in place of the old key.
  expect(payments.installations.get(sent.installationId)?.apiKey).toBe(sent.apiKey);
  expect(payments.installations.size).toBe(1);
  expect((await createContact(sent.apiKey)).status).toBe(201);
  expect((await server.api(keptKey).get('/contacts')).status).toBe(401);
});

it('refuses a scopes value other than keep or apply, saying which', async () => {
  const { appId } = await registerAndInstallPayments(server, payments);
  const res = await admin().post(`/apps/${appId}/install/api-key/rotate?scopes=all`);
  expect(res.status).toBe(422);
  expect(JSON.stringify(res.body.error)).toContain('scopes is keep (the current key\'s scopes) or apply (the manifest\'s)');
  expect(payments.received.subscribe).toHaveLength(1);
});
