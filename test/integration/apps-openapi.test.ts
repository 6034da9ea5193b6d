import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// /docs/json tells a mini-app developer what their server receives (the subscribe and unsubscribe
// bodies, the webhook-* signature headers) and the errors of the app routes worth handling.

type Operation = { summary?: string; description?: string; responses: Record<string, { description: string }>; parameters?: { name: string; in: string; description?: string }[] };
let server: TestServer;
let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, any> }; 'x-webhooks': Record<string, { post: Operation & { requestBody: any } }> };
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  doc = (await server.request('GET', '/docs/json')).body;
});
afterAll(async () => { await server?.close(); });

it('documents the subscribe and unsubscribe bodies as the sender builds them', () => {
  const { SubscribeRequest, UnsubscribeRequest } = doc.components.schemas;
  expect(SubscribeRequest.required).toEqual(['workspaceId', 'appId', 'installationId', 'apiKey', 'apiKeyId', 'authValues', 'scopes', 'reason']);
  expect(SubscribeRequest.properties.reason.enum).toEqual(['installed', 'key_rotated']);
  expect(UnsubscribeRequest.required).toEqual(['workspaceId', 'appId', 'installationId', 'apiKeyId', 'authValues', 'reason']);
  expect(UnsubscribeRequest.properties.reason.enum).toEqual(['uninstalled', 'subscribe_failed']);
  expect(SubscribeRequest.properties.installationId.description).toMatch(/an earlier installation's unsubscribe can arrive after a later one's subscribe/);
});

it('describes both requests with their signature headers under x-webhooks', () => {
  const { appSubscribe, appUnsubscribe } = doc['x-webhooks'];
  for (const [hook, schema] of [[appSubscribe!, 'SubscribeRequest'], [appUnsubscribe!, 'UnsubscribeRequest']] as const) {
    expect(hook.post.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${schema}` });
    expect(hook.post.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['header:webhook-id', 'header:webhook-timestamp', 'header:webhook-signature', 'header:X-InboxCompanion-Installation-Id']);
    expect(hook.post.parameters![2]!.description).toContain('`v1,<new> v1,<previous>`');
  }
  expect(appUnsubscribe!.post.description).toContain('an old installation\'s unsubscribe may come after a new one\'s subscribe');
  expect(appUnsubscribe!.post.responses['410']!.description).toMatch(/never retried/);
});

it.each([
  ['post', '/api/v1/apps/{id}/install', '502', /subscribe_failed/],
  ['post', '/api/v1/apps/{id}/install', '409', /already installed/],
  ['delete', '/api/v1/apps/{id}/install', '409', /app_in_use/],
  ['put', '/api/v1/apps/{id}', '409', /reinstall_needed/],
  ['post', '/api/v1/apps/{id}/install/api-key/rotate', '502', /subscribe_failed.*subscribe_unconfirmed.*24 hours/],
  ['post', '/api/v1/apps/{id}/install/api-key/rotate', '409', /rotation_in_progress.*no_subscribe_url/],
  ['post', '/api/v1/apps/{id}/install/api-key/rotate', '404', /not_installed/],
  ['post', '/api/v1/apps/{id}/install/api-key/revoke-previous', '409', /rotation_in_progress/],
  ['post', '/api/v1/apps/{id}/signing-secret/rotate', '409', /rotation_in_progress/],
  ['post', '/api/v1/apps/{id}/triggers/{triggerKey}', '409', /idempotency_key_reused/],
  ['post', '/api/v1/apps/{id}/deliveries/{deliveryId}/retry', '409', /delivery_in_progress/],
  ['put', '/api/v1/apps/{id}/install/auth-values', '409', /install_values_kept/],
  ['put', '/api/v1/apps/{id}/install/auth-values', '404', /not_installed/],
  ['put', '/api/v1/apps/{id}/install/auth-values', '422', /authValues\.<key>/],
])('%s %s documents its %s', (method, path, status, text) => {
  const operation = doc.paths[path]![method]!;
  expect(operation.responses[status]!.description).toMatch(text);
  expect(JSON.stringify(operation.responses[status])).toContain('#/components/schemas/Error');
});

it('says what the fire and rotate routes do', () => {
  expect(doc.paths['/api/v1/apps/{id}/triggers/{triggerKey}']!.post!.summary).toMatch(/^Fire one of the app's triggers .*Idempotency-Key/);
  expect(doc.paths['/api/v1/apps/{id}/signing-secret/rotate']!.post!.summary).toMatch(/previous one keeps signing next to it for 24 hours.*forgotten.*signs alone/);
  expect(doc.paths['/api/v1/apps/{id}/install/auth-values']!.put!.summary).toMatch(/^Enter the install values again after npm run forget-secrets/);
  expect(doc.paths['/api/v1/apps/{id}/install/api-key/rotate']!.post!.summary).toMatch(/^Regenerate the installed app's API key: .*reason: key_rotated.*\?scopes=apply/);
  expect(doc['x-webhooks'].appSubscribe!.post.description).toContain('`reason: key_rotated`');
});
