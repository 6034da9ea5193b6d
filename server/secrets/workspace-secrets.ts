import { sql } from 'kysely';
import type { AuthInput, AuthValues } from '../../lib/contracts/apps';
import { secretAuthValues } from '../apps/hide-secrets';
import { MIN_MASKED } from '../outbound/mask';
import { fromJson, type Db } from '../store/database';
import { openStored } from './at-rest';
import type { Vault } from './vault';

// Every sealed credential the workspace holds, in the clear, for masking texts stored before the
// errors that quote them were masked where they were made (stored-texts.ts). Opening them all costs
// an AES-GCM open per sealed value, so the set is kept per database and made again only when a
// fingerprint of the sealed columns changes: a channel token replaced, a Chatwoot account
// reconnected, a webhook URL regenerated or its signing secret replaced, an app's secret rotated or
// its install values entered. The fingerprint reads one row of aggregates, and a short tail of each
// sealed value (apps' and installations' tables have no updated_at; a webhook URL given anew
// changes its token's hash, not the workflow's updated_at): two cheap queries per read instead of
// unsealing every credential. A workflow save changes none of them (the credentials typed into
// HTTP steps are kept per workflow: http-step-secrets.ts).

const cache = new WeakMap<Db, { fingerprint: string; secrets: readonly string[] }>();

/** What changes whenever one of the workspace's sealed credentials does. */
async function fingerprint(db: Db): Promise<string> {
  const tail = (column: string) => sql`substr(coalesce(${sql.ref(column)}, ''), length(coalesce(${sql.ref(column)}, '')) - 11)`;
  const { rows } = await sql<Record<string, unknown>>`select
      (select count(*) from connections) as c, (select max(updated_at) from connections) as cu`.execute(db);
  // One statement for the rows: one round trip on PostgreSQL, not one per table. A webhook
  // URL given anew changes its token's hash, not the workflow's updated_at (routes/hooks/admin.ts).
  const { rows: tails } = await sql<Record<string, unknown>>`
    select 'a' as k, id, ${tail('signing_secret')} as s, ${tail('previous_signing_secret')} as p from apps
    union all select 'i' as k, id, ${tail('auth_values')} as s, null as p from installations
    union all select 'h' as k, id, substr(webhook_token_hash, 1, 8) as s, ${tail('webhook_signing_secret')} as p from workflows
      where webhook_token_hash is not null or webhook_signing_secret is not null
    order by k, id`.execute(db);
  return JSON.stringify([rows[0], tails], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
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
