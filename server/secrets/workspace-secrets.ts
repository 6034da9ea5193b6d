import { sql } from 'kysely';
import type { AuthInput, AuthValues } from '../../lib/contracts/apps';
import { secretAuthValues } from '../apps/hide-secrets';
import { MIN_MASKED } from '../outbound/mask';
import { fromJson, type Db } from '../store/database';
import { openStored } from './at-rest';
import type { Vault } from './vault';

// Every credential the workspace holds, in the clear, for masking texts stored before the errors
// that quote them were masked where they were made (stored-texts.ts). Opening them all costs an
// AES-GCM open per sealed value, so the set is kept per database and made again only when a
// fingerprint of the sealed columns changes: a channel token replaced, a Chatwoot account
// reconnected, a webhook URL regenerated, an app's secret rotated or its install values entered.
// The fingerprint reads one row of aggregates (and a short tail of each app's sealed values, whose
// tables have no updated_at): one cheap query per read instead of unsealing every credential.

const cache = new WeakMap<Db, { fingerprint: string; secrets: readonly string[] }>();

/** What changes whenever one of the workspace's sealed credentials does. */
async function fingerprint(db: Db): Promise<string> {
  const tail = (column: string) => sql`substr(coalesce(${sql.ref(column)}, ''), length(coalesce(${sql.ref(column)}, '')) - 11)`;
  const { rows } = await sql<Record<string, unknown>>`select
      (select count(*) from connections) as c, (select max(updated_at) from connections) as cu,
      (select count(*) from workflows) as w, (select max(updated_at) from workflows) as wu`.execute(db);
  const apps = await db.selectFrom('apps').select(['id', tail('signing_secret').as('s'), tail('previous_signing_secret').as('p')]).orderBy('id').execute();
  const installs = await db.selectFrom('installations').select(['id', tail('auth_values').as('a')]).orderBy('id').execute();
  return JSON.stringify([rows[0], apps, installs], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

/** Every string in an opened JSON value (a connection's secrets: tokens, URL tokens, signing secrets). */
function stringsIn(value: unknown, out: string[], depth = 0): void {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object' && depth < 4) for (const v of Object.values(value)) stringsIn(v, out, depth + 1);
}

/** `stored` opened; nothing when it was forgotten or is sealed under another key (nothing to mask then). */
function opened(vault: Vault, stored: string | null | undefined): string | undefined {
  if (!stored) return undefined;
  try {
    return openStored(vault, stored);
  } catch {
    return undefined;
  }
}

async function load(db: Db, vault: Vault): Promise<string[]> {
  const found: string[] = [];
  for (const row of await db.selectFrom('connections').select('secrets').execute()) {
    const text = opened(vault, row.secrets);
    if (text) stringsIn(fromJson<unknown>(text, text), found);
  }
  for (const row of await db.selectFrom('workflows').select(['webhook_token', 'webhook_signing_secret'])
    .where((eb) => eb.or([eb('webhook_token', 'is not', null), eb('webhook_signing_secret', 'is not', null)])).execute()) {
    const signing = opened(vault, row.webhook_signing_secret);
    // The HMAC key is the part after whsec_ (Standard Webhooks): an error may quote either.
    found.push(opened(vault, row.webhook_token) ?? '', signing ?? '', signing?.replace(/^whsec_/, '') ?? '');
  }
  const apps = await db.selectFrom('apps').select(['id', 'manifest', 'signing_secret', 'previous_signing_secret']).execute();
  const inputs = new Map(apps.map((a) => [a.id, fromJson<{ authInputs?: AuthInput[] }>(a.manifest, {}).authInputs ?? []]));
  for (const app of apps) {
    for (const s of [opened(vault, app.signing_secret), opened(vault, app.previous_signing_secret)]) found.push(s ?? '', s?.replace(/^whsec_/, '') ?? '');
  }
  for (const row of await db.selectFrom('installations').select(['app_id', 'auth_values']).execute()) {
    const text = opened(vault, row.auth_values);
    if (text) found.push(...secretAuthValues(inputs.get(row.app_id) ?? [], fromJson<AuthValues>(text, {})));
  }
  // Longest first: a token inside a longer value is masked with it (mask.ts merges overlaps anyway).
  return [...new Set(found.filter((s) => s.trim().length >= MIN_MASKED && s !== 'forgotten'))].sort((a, b) => b.length - a.length);
}

/** The workspace's credentials in the clear, from the cache while none of them changed. */
export async function workspaceSecrets(db: Db, vault: Vault): Promise<readonly string[]> {
  const now = await fingerprint(db);
  const kept = cache.get(db);
  if (kept && kept.fingerprint === now) return kept.secrets;
  const secrets = await load(db, vault);
  cache.set(db, { fingerprint: now, secrets });
  return secrets;
}
