import { z } from 'zod';
import { Scope } from './scopes';
import { listQuery } from './list-query';
import { unknownKeys } from './common';

// An installed mini-app as the admin sees it, and what the companion sends to the app's own
// server about its installation (subscribe, unsubscribe). Re-exported by ./apps.

/**
 * The header on every request to an app's server (subscribe, unsubscribe, action) naming the
 * installation concerned: the seed pages say nothing of what an action carries, and an app
 * installed in several workspaces otherwise tells them apart only by the auth values; an app
 * routing by it must find it on the subscribe that brings the key too. Named like the
 * `InboxCompanion-MiniApp/1` user agent; not signed (Standard Webhooks signs the body only), so
 * trust it once the signature verifies.
 */
export const APP_INSTALLATION_HEADER = 'X-InboxCompanion-Installation-Id';

/** Values of the auth inputs, typed by the input type; what the install form sends. */
export const AuthValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type AuthValues = z.infer<typeof AuthValues>;

export const Installation = z.object({
  id: z.string(),
  appId: z.string(),
  createdAt: z.string(),
  /** The key the app's server was last sent (and did not refuse): what an unsubscribe names. */
  apiKeyId: z.string().optional(),
  /** What that key may do. */
  scopes: z.array(Scope).default([]),
  /**
   * Scopes the manifest asks for that the key does not hold (added by PUT /apps/:id while
   * installed): granted only by POST /apps/:id/install/api-key/rotate?scopes=apply.
   */
  scopesToGrant: z.array(Scope).default([]),
  /**
   * Set after a key rotation the app's server did not confirm (no answer in time, a dropped
   * connection, a 5xx): the keys it replaced keep working until then, next to the new one, so the
   * app works whichever it holds. Null when only the current key works.
   */
  previousKeysExpireAt: z.string().nullable().default(null),
});
export type Installation = z.infer<typeof Installation>;

/**
 * A request to the app's server not delivered yet (today: unsubscribe requests). `pending` is
 * retried with backoff; `failed` was given up (410 Gone, the time limit, the app deleted) and
 * is sent again only by POST /apps/:id/deliveries/:deliveryId/retry.
 */
export const AppDelivery = z.object({
  id: z.string(),
  kind: z.enum(['unsubscribe']),
  installationId: z.string().nullable(),
  status: z.enum(['pending', 'failed', 'delivered']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** When the next attempt is due; null once given up or delivered. */
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AppDelivery = z.infer<typeof AppDelivery>;

/**
 * POST /apps/:id/signing-secret/rotate answer: the new secret, shown this once. Until
 * `previousSecretExpiresAt` (24 hours) every request carries two signatures, one made with each
 * secret (`webhook-signature: v1,<new> v1,<previous>`), so the app's server can switch when it likes.
 */
export const AppSigningSecret = z.object({
  signingSecret: z.string(),
  previousSecretExpiresAt: z.string().nullable()
    .describe('Until when the replaced secret signs next to the new one; null when there was none to keep (forgotten with a lost secret key, npm run forget-secrets): the new one signs alone'),
});
export type AppSigningSecret = z.infer<typeof AppSigningSecret>;

/** POST /apps/:id/deliveries/:deliveryId/retry answer: the delivery after the attempt made at once. */
export const AppDeliveryRetried = z.object({ delivery: AppDelivery });

// Strict as InstallValuesBody: `{"auth": …}` or the values unwrapped installed the app without them.
export const InstallBody = z.strictObject({ authValues: AuthValues.default({}) }, unknownKeys('the install values go in authValues: {"authValues": {"accountId": "acct_42"}}'));
export type InstallBody = z.infer<typeof InstallBody>;

/**
 * PUT /apps/:id/install/auth-values: the install values entered again, as the install form sends
 * them, after `npm run forget-secrets` forgot them; checked against the manifest's auth inputs.
 */
export const InstallValuesBody = z.strictObject({ authValues: AuthValues }, unknownKeys('the values go in authValues, as on install: {"authValues": {"accountId": "acct_42"}}'));
export type InstallValuesBody = z.infer<typeof InstallValuesBody>;

/**
 * POST /apps/:id/install/api-key/rotate: `keep` gives the new key the scopes the current one
 * holds; `apply` the manifest's (the admin grants scopes an update added).
 */
export const RotateApiKeyQuery = listQuery({
  scopes: z.enum(['keep', 'apply'], { error: 'scopes is keep (the current key\'s scopes) or apply (the manifest\'s)' }).default('keep'),
}, 'this route');

/** POST /apps/:id/install/api-key/rotate (the app's server confirmed) and …/revoke-previous answers. */
export const AppApiKeyRotated = z.object({ installation: Installation });

/**
 * What the app's server receives on install, and when its key is regenerated (signed; the key is
 * its credential from then on). Answer 2xx only once the key is stored: any other answer, or none
 * within 10 s, and the install (or the rotation) fails.
 */
export const SubscribeRequest = z.object({
  workspaceId: z.string().describe('This companion (one workspace per server); never changes'),
  appId: z.string(),
  installationId: z.string().describe('Key your data on this: each install has a new one, and an earlier installation\'s unsubscribe can arrive after a later one\'s subscribe'),
  apiKey: z.string().describe('Bearer token for the companion\'s API, holding exactly `scopes`'),
  apiKeyId: z.string().describe('The key\'s id: an unsubscribe names the key it revoked by this id (the key itself is stored only hashed)'),
  authValues: AuthValues.describe('The values the admin entered for the manifest\'s authInputs'),
  scopes: z.array(Scope).describe('What `apiKey` may do'),
  reason: z.enum(['installed', 'key_rotated']).describe('`installed`: a new installation. `key_rotated`: the admin regenerated the key of an installation you already hold (or granted it scopes); replace its key with this one'),
  replacesApiKeyId: z.string().optional().describe('With `key_rotated`: the key this one replaces, which stops working once you answer 2xx'),
}).describe('POSTed to the manifest\'s subscribeUrl on install and on a key rotation, signed (webhook-id, webhook-timestamp, webhook-signature)');
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

/**
 * What the app's server receives once the installation is gone and its key revoked: after an
 * uninstall, or after an install's subscribe whose outcome is unknown (a timeout, a dropped
 * connection, a 5xx: the app may have stored the key). Retried until delivered; may arrive late.
 * Never sent for a key rotation: the installation goes on.
 */
export const UnsubscribeRequest = SubscribeRequest.omit({ apiKey: true, scopes: true, reason: true, replacesApiKeyId: true }).extend({
  reason: z.enum(['uninstalled', 'subscribe_failed']).describe('`subscribe_failed`: the install did not complete; forget this installation if you stored it'),
}).describe('POSTed to the manifest\'s unsubscribeUrl, signed as the subscribe request; the key it names no longer works');
export type UnsubscribeRequest = z.infer<typeof UnsubscribeRequest>;
