import { KIND as CHATWOOT, hashWebhookToken } from '../connectors/chatwoot/connections';
import { TOMBSTONE_KIND } from '../connectors/chatwoot/tombstones';
import { nowIso, randomSecret } from '../ids';
import { fromJson, toJson, type Db, type Executor } from '../store/database';
import { isSealed } from './at-rest';
import { FORGOTTEN, forgottenText } from './forgotten';
import { recordCheckValue } from './key-check';
import type { Vault } from './vault';

// The lost key's way out (forget-main.ts runs it): every sealed value the new key cannot open is
// cleared, and what it belonged to says what to enter again, through the paths an unreadable
// value already had (a channel's Replace token, a workflow's unreadableSecrets, an app's secret
// rotation). Values stored before sealing and values the new key opens stay; no contact,
// conversation, workflow definition or run is read or written.

export interface Named { id: string; name: string }
export interface ForgetSummary {
  channels: (Named & { kind: string })[];
  adAccounts: Named[];
  chatwootAccounts: Named[];
  /** Disconnected Chatwoot accounts: reconnecting one gives it a new webhook URL. */
  disconnectedChatwoot: number;
  otherConnections: (Named & { kind: string })[];
  workflows: (Named & { forgot: ('url' | 'signingSecret')[] })[];
  apps: (Named & { forgot: ('signingSecret' | 'authValues')[] })[];
}

/** A sealed value this key cannot open: lost with the key it was sealed with. */
function lost(vault: Vault, stored: string | null | undefined): boolean {
  if (!stored || !isSealed(stored)) return false;
  try {
    vault.open(stored);
    return false;
  } catch {
    return true;
  }
}

async function forgetConnections(trx: Executor, vault: Vault, summary: ForgetSummary, now: string) {
  const rows = await trx.selectFrom('connections').selectAll().where('secrets', 'like', 'v1.%').orderBy('id').execute();
  for (const row of rows.filter((r) => lost(vault, r.secrets))) {
    const named = { id: row.id, name: row.name };
    if (row.kind === TOMBSTONE_KIND) {
      // Reconnecting finds no kept webhook URL it can open and makes a new one (connections.ts keptSecrets).
      await trx.updateTable('connections').set({ secrets: FORGOTTEN, updated_at: now }).where('id', '=', row.id).execute();
      summary.disconnectedChatwoot++;
      continue;
    }
    if (row.kind === CHATWOOT) {
      // Still listed, with a new webhook URL and no token: the card's own forms take both again.
      const webhookToken = randomSecret();
      const config = { ...fromJson<Record<string, unknown>>(row.config, {}), webhookTokenHash: hashWebhookToken(webhookToken) };
      await trx.updateTable('connections').set({
        config: toJson(config), secrets: vault.seal(JSON.stringify({ apiAccessToken: '', webhookToken, webhookSecret: null })),
        status: 'error', last_error: forgottenText.chatwoot, updated_at: now,
      }).where('id', '=', row.id).execute();
      summary.chatwootAccounts.push(named);
      continue;
    }
    const channel = row.kind === 'whatsapp' || row.kind === 'messenger';
    const text = channel ? forgottenText.channel : row.kind === 'meta_ads' ? forgottenText.adAccount : forgottenText.connection;
    await trx.updateTable('connections').set({ secrets: FORGOTTEN, status: 'error', last_error: text, updated_at: now }).where('id', '=', row.id).execute();
    if (channel) summary.channels.push({ ...named, kind: row.kind });
    else if (row.kind === 'meta_ads') summary.adAccounts.push(named);
    else summary.otherConnections.push({ ...named, kind: row.kind });
  }
}

async function forgetWorkflows(trx: Executor, vault: Vault, summary: ForgetSummary) {
  const rows = await trx.selectFrom('workflows').select(['id', 'name', 'webhook_token', 'webhook_signing_secret'])
    .where((eb) => eb.or([eb('webhook_token', 'like', 'v1.%'), eb('webhook_signing_secret', 'like', 'v1.%')])).orderBy('id').execute();
  for (const row of rows) {
    const forgot: ('url' | 'signingSecret')[] = [];
    // The URL's hash stays: deliveries to it still arrive, as for a URL sealed under another key.
    if (lost(vault, row.webhook_token)) forgot.push('url');
    if (lost(vault, row.webhook_signing_secret)) forgot.push('signingSecret');
    if (forgot.length === 0) continue;
    await trx.updateTable('workflows').set({
      ...(forgot.includes('url') ? { webhook_token: FORGOTTEN } : {}),
      ...(forgot.includes('signingSecret') ? { webhook_signing_secret: FORGOTTEN } : {}),
    }).where('id', '=', row.id).execute();
    summary.workflows.push({ id: row.id, name: row.name, forgot });
  }
}

async function forgetApps(trx: Executor, vault: Vault, summary: ForgetSummary) {
  const apps = await trx.selectFrom('apps').selectAll().orderBy('id').execute();
  const installations = new Map((await trx.selectFrom('installations').selectAll().execute()).map((i) => [i.app_id, i]));
  for (const app of apps) {
    const manifest = fromJson<{ name?: string; authInputs?: unknown[] }>(app.manifest, {});
    const forgot: ('signingSecret' | 'authValues')[] = [];
    if (lost(vault, app.signing_secret)) {
      forgot.push('signingSecret');
      await trx.updateTable('apps').set({ signing_secret: FORGOTTEN }).where('id', '=', app.id).execute();
    }
    // The secret a rotation replaced only signed next to the current one: it goes.
    if (lost(vault, app.previous_signing_secret)) {
      await trx.updateTable('apps').set({ previous_signing_secret: null, previous_signing_secret_expires_at: null }).where('id', '=', app.id).execute();
    }
    const installation = installations.get(app.id);
    if (installation && lost(vault, installation.auth_values)) {
      // An app that asks for nothing at install lost nothing: its (empty) values are sealed anew.
      const nothingAsked = (manifest.authInputs ?? []).length === 0;
      if (!nothingAsked) forgot.push('authValues');
      await trx.updateTable('installations').set({ auth_values: nothingAsked ? vault.seal('{}') : FORGOTTEN }).where('id', '=', installation.id).execute();
    }
    if (forgot.length) summary.apps.push({ id: app.id, name: manifest.name ?? app.key, forgot });
  }
}

/**
 * In one transaction: clears what `vault`'s key cannot open and seals the key check value with
 * it, so the next start with this key goes ahead (key-check.ts).
 */
export async function forgetSealedSecrets(db: Db, vault: Vault): Promise<ForgetSummary> {
  const summary: ForgetSummary = { channels: [], adAccounts: [], chatwootAccounts: [], disconnectedChatwoot: 0, otherConnections: [], workflows: [], apps: [] };
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await forgetConnections(trx, vault, summary, now);
    await forgetWorkflows(trx, vault, summary);
    await forgetApps(trx, vault, summary);
    await recordCheckValue(trx, vault);
  });
  return summary;
}
