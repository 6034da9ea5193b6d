import { hashToken } from '../auth/tokens';
import type { Executor } from '../store/database';
import { FORGOTTEN, isForgotten } from './forgotten';
import type { Vault } from './vault';

// Credentials at rest. What must be shown or sent again (app signing secrets, installation auth
// values, webhook URL tokens: n8n and respond.io show a workflow's webhook URL whenever the admin
// opens it) is sealed with the vault, whose key is outside the database; what is only compared
// (the URL token of an incoming delivery) is looked up by its SHA-256.

const SEALED = /^v1\.[\w-]+\.[\w-]+\.[\w-]*$/;
export const isSealed = (stored: string) => SEALED.test(stored);

/**
 * A stored value in the clear; a value stored before sealing (plain text) is returned as is. One
 * forgotten by forget-secrets throws, as one sealed under another key does.
 */
export function openStored(vault: Vault, stored: string): string {
  if (isForgotten(stored)) throw new Error('This value was forgotten when the secret key was replaced');
  return stored && isSealed(stored) ? vault.open(stored) : stored;
}
export const sealStored = (vault: Vault, text: string) => (text ? vault.seal(text) : text);

/** A webhook URL token's columns: sealed (to show the URL again) and hashed (to find the workflow). */
export const webhookTokenColumns = (vault: Vault, token: string) => ({ webhook_token: vault.seal(token), webhook_token_hash: hashToken(token) });

/**
 * Converts rows written before sealing (migration 041 added the hash column; the key is not
 * available to migrations, so this runs at every start and touches only unconverted rows).
 */
export async function sealStoredSecrets(db: Executor, vault: Vault) {
  // A value forget-secrets cleared is not plain text from before sealing.
  const apps = await db.selectFrom('apps').select(['id', 'signing_secret']).where('signing_secret', 'not in', ['', FORGOTTEN]).where('signing_secret', 'not like', 'v1.%').execute();
  for (const a of apps) await db.updateTable('apps').set({ signing_secret: vault.seal(a.signing_secret) }).where('id', '=', a.id).execute();
  const installations = await db.selectFrom('installations').select(['id', 'auth_values']).where('auth_values', 'not like', 'v1.%').where('auth_values', '!=', FORGOTTEN).execute();
  for (const i of installations) await db.updateTable('installations').set({ auth_values: vault.seal(i.auth_values) }).where('id', '=', i.id).execute();
  // Webhook signing secrets move from the definitions (and their versions) to the sealed column.
  const withSecrets = await db.selectFrom('workflows').select(['id', 'definition']).where('definition', 'like', '%"signingSecret"%').execute();
  for (const w of withSecrets) {
    const def = JSON.parse(w.definition) as { trigger?: { signingSecret?: string } };
    const secret = def.trigger?.signingSecret;
    if (!secret || !def.trigger) continue;
    delete def.trigger.signingSecret;
    await db.updateTable('workflows').set({ definition: JSON.stringify(def), webhook_signing_secret: vault.seal(secret) }).where('id', '=', w.id).execute();
  }
  const versions = await db.selectFrom('workflow_versions').select(['workflow_id', 'version', 'definition']).where('definition', 'like', '%"signingSecret"%').execute();
  for (const v of versions) {
    const def = JSON.parse(v.definition) as { trigger?: { signingSecret?: string } };
    if (!def.trigger?.signingSecret) continue;
    delete def.trigger.signingSecret;
    await db.updateTable('workflow_versions').set({ definition: JSON.stringify(def) }).where('workflow_id', '=', v.workflow_id).where('version', '=', v.version).execute();
  }
  const hooks = await db.selectFrom('workflows').select(['id', 'webhook_token']).where('webhook_token', 'is not', null).where('webhook_token', '!=', FORGOTTEN).where('webhook_token_hash', 'is', null).execute();
  for (const w of hooks) await db.updateTable('workflows').set(webhookTokenColumns(vault, w.webhook_token!)).where('id', '=', w.id).execute();
}
