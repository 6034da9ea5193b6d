import { z } from 'zod';
import { Scope } from './scopes';

/**
 * GET /me with an app's API key: who the key is and exactly what it may do, so a mini-app checks
 * its own scopes (and learns which the admin has yet to grant) instead of probing routes for 403s.
 * Named as the subscribe request names them (installationId, apiKeyId, scopes).
 */
export const AppMe = z.object({
  app: z.object({ id: z.string(), key: z.string(), name: z.string() }).describe('The mini-app this key belongs to'),
  workspaceId: z.string().describe('This companion (one workspace per server), as in the subscribe request'),
  installationId: z.string().describe('The installation the key was issued to'),
  apiKeyId: z.string().describe('This key\'s id, as the subscribe request named it'),
  scopes: z.array(Scope).describe('Exactly what this key may do: a route needing another scope answers 403'),
  scopesToGrant: z.array(Scope).describe('Scopes the app\'s manifest asks for that this key does not hold: an admin grants them by regenerating the key (the new key comes in a subscribe request)'),
  expiresAt: z.string().nullable().describe('Set when a newer key replaced this one: it stops working then; use the key of the latest subscribe request'),
}).describe('An app API key\'s answer (a user\'s token gets `user` and `permissions`)');
export type AppMe = z.infer<typeof AppMe>;
