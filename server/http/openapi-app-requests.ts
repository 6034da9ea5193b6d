import { z } from 'zod';
import { APP_INSTALLATION_HEADER, SubscribeRequest, UnsubscribeRequest } from '../../lib/contracts/apps';

// What /docs/json says about the requests the companion sends to a mini-app's own server: they
// are no route of ours, so no route schema documents them. Their bodies are the contracts the
// sender uses (components.schemas), and `x-webhooks` (OpenAPI 3.0 has no `webhooks`; 3.1's
// shape under the x- name Redoc reads) describes each with its signature headers.

const schema = (s: z.ZodType) => {
  const json = z.toJSONSchema(s, { target: 'openapi-3.0', io: 'output' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
};

/** components.schemas entries for the bodies. */
export const appRequestSchemas = () => ({ SubscribeRequest: schema(SubscribeRequest), UnsubscribeRequest: schema(UnsubscribeRequest) });

// The key is the secret's bytes, not its text: Standard Webhooks serializes the secret "base64
// encoded, prefixed with whsec_" (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md,
// Signature scheme), and an HMAC keyed with the string as shown never verifies.
const SIGNATURE = 'Standard Webhooks (https://www.standardwebhooks.com): HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{raw body}`, base64, as `v1,<signature>`. '
  + 'The HMAC key is the app\'s signing secret base64-decoded after its `whsec_` prefix (`whsec_MfKQ9r…` → the bytes of base64 `MfKQ9r…`), '
  + 'not the secret\'s text; the standardwebhooks libraries take the whole `whsec_…` string and do this. '
  + 'The action calls a workflow\'s mini-app step makes to the app carry the same three headers, signed the same way. '
  + 'Space-separated signatures: after POST /apps/{id}/signing-secret/rotate the new and the previous secret each sign for 24 hours (`v1,<new> v1,<previous>`); accept the request if any one verifies. '
  + 'Refuse timestamps more than 5 minutes away; `webhook-id` stays the same across retries of one request, for de-duplication.';

const headers = {
  'webhook-id': { required: true, schema: { type: 'string' }, description: 'The message id (`msg_…`); the same on every retry of one request' },
  'webhook-timestamp': { required: true, schema: { type: 'string' }, description: 'Unix seconds when this attempt was signed' },
  'webhook-signature': { required: true, schema: { type: 'string' }, description: SIGNATURE },
  [APP_INSTALLATION_HEADER]: {
    required: true, schema: { type: 'string' },
    description: 'The body\'s `installationId`, as on every action call, for an app that routes its requests by header. Not signed: trust it once the signature verifies',
  },
};

function operation(summary: string, description: string, ref: string, answers: Record<string, string>) {
  return {
    post: {
      tags: ['apps'],
      summary,
      description,
      parameters: Object.entries(headers).map(([name, h]) => ({ name, in: 'header', ...h })),
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } },
      responses: Object.fromEntries(Object.entries(answers).map(([code, text]) => [code, { description: text }])),
    },
  };
}

/** `x-webhooks`: the subscribe and unsubscribe requests an app's server receives. */
export const appRequestWebhooks = () => ({ 'x-webhooks': {
  appSubscribe: operation(
    'Subscribe request: POSTed to the manifest\'s subscribeUrl on install, and when the admin regenerates the key',
    'Carries the API key made for this installation (exactly `scopes`). The install completes only on a 2xx within 10 seconds; '
      + 'any other answer fails it (502 `subscribe_failed`) and revokes the key. After a timeout, a dropped connection or a 5xx the app may have stored the key, '
      + 'so it is then sent an unsubscribe request (`reason: subscribe_failed`) for that installation. Store data by `installationId`. '
      + 'When the admin regenerates the key (or grants scopes an update added) the same installation gets a new one, `reason: key_rotated`, naming the key it replaces (`replacesApiKeyId`): '
      + 'store it in place of the old one; your 2xx revokes the old key at once, a 3xx/4xx revokes the new one. After a timeout, a dropped connection or a 5xx both keys work '
      + 'for 24 hours, then only the new one; no unsubscribe is sent for a key rotation.',
    'SubscribeRequest',
    { '2XX': 'The key is stored: the install completes (a rotation: the previous key is revoked)', default: 'The install fails and the key is revoked (a rotation: the new key is revoked, unless the answer was lost)' },
  ),
  appUnsubscribe: operation(
    'Unsubscribe request: POSTed to the manifest\'s unsubscribeUrl once an installation is gone',
    'After an uninstall, or a subscribe whose outcome was unknown. The key named by `apiKeyId` is already revoked. '
      + 'Sent in the background and retried until a 2xx: quickly (1 s doubling to 5 minutes) while the server is unreachable or answers 408, 429 or 5xx, '
      + 'hourly at most after another 4xx, for up to 3 days; a 410 Gone stops it. It can arrive late: an old installation\'s unsubscribe may come after a new one\'s subscribe, '
      + 'so forget only what is stored under its `installationId`. Undelivered ones are listed under `deliveries` on GET /apps/{id}.',
    'UnsubscribeRequest',
    { '2XX': 'Delivered', 410: 'Stop: never retried', default: 'Retried with backoff' },
  ),
} });

export const APPS_TAG = {
  name: 'apps',
  description: 'Mini-apps: registration and installs (admin), triggers fired by the apps with their key. The requests the companion sends to an app\'s server '
    + '(subscribe, unsubscribe, actions) are signed with Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`): see `x-webhooks`. '
    + `Every one of them also carries \`${APP_INSTALLATION_HEADER}\`: the \`installationId\` of the installation calling (an action) or concerned (a subscribe or unsubscribe, whose body names it too), as its subscribe request gave it, `
    + 'so an app installed in several workspaces knows whose request it is without reading the body or the auth values (a manifest header of that name is replaced). '
    + 'The signature covers the body only, not this header: trust it once the signature verifies with the signing secret you keep for that installation.',
};
