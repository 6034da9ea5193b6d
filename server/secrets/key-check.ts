import { sql } from 'kysely';
import { getSetting, setSetting } from '../domain/settings';
import { ConfigError } from '../http/trust-proxy';
import type { Services } from '../services';
import { inStartTurn, type Executor } from '../store/database';
import { isSealed } from './at-rest';
import { keyFile, readKeyFile } from './vault';

// A start whose key cannot open the data it finds stops, as n8n does on "Mismatching encryption
// keys". Without this check a restored backup without its secret-key file, or a second PostgreSQL
// instance with a DATA_DIR of its own, made a new key silently and started: every workflow read
// then answered 500 ("Unsupported state or unable to authenticate data" in the log).

/** A value sealed with the key at the first start that had one: opening it at a start proves the key. */
const CHECK_SETTING = 'secret_key_check';
const CHECK_TEXT = 'inbox-companion secret key check';

/** Columns holding sealed values, for databases sealed before the check value existed. */
const SEALED_COLUMNS = [
  ['workflows', 'webhook_token'], ['workflows', 'webhook_signing_secret'], ['connections', 'secrets'],
  ['apps', 'signing_secret'], ['installations', 'auth_values'],
] as const;

async function anySealedValue(db: Executor): Promise<string | undefined> {
  for (const [table, column] of SEALED_COLUMNS) {
    const { rows } = await sql<{ v: string }>`select ${sql.ref(column)} as v from ${sql.table(table)} where ${sql.ref(column)} like 'v1.%' limit 1`.execute(db);
    const value = rows[0]?.v;
    if (value && isSealed(value)) return value;
  }
  return undefined;
}

function opens(services: KeyContext, sealed: string, expected?: string): boolean {
  try {
    const text = services.vault.open(sealed);
    return expected === undefined || text === expected;
  } catch {
    return false;
  }
}

/** What the check needs of a server: the forget-secrets command has these without the app. */
export type KeyContext = Pick<Services, 'db' | 'vault' | 'config' | 'store'>;

/** The way out of a lost key, said where a start stops for it (forget-secrets.ts). */
export const LOST_KEY_WAY_OUT = 'If that key is lost, `npm run forget-secrets -- --yes` (same settings) forgets the credentials sealed with it, to be entered again, and starts over with a new key; contacts, conversations, workflows and runs stay';

/** What an operator reads: which key the data needs, and where to put it. */
function refusal(services: KeyContext, missing: boolean): string {
  const { config, store } = services;
  const file = keyFile(config.dataDir);
  const shared = store.dialect === 'postgres' ? '; every instance on one database needs the same key (COMPANION_SECRET_KEY)' : '';
  const want = `the secret-key file of the DATA_DIR that first started with this database (copy it to ${file}), or the COMPANION_SECRET_KEY it was started with`;
  return missing
    ? `the database holds credentials sealed with a secret key, and this server has none (${file} is missing, COMPANION_SECRET_KEY is unset); no new key is made while sealed data exists. Start with ${want}${shared}. ${LOST_KEY_WAY_OUT}`
    : `the secret key (${config.secretKey ? 'COMPANION_SECRET_KEY' : file}) cannot open the credentials stored in the database: they were sealed with another key. Start with ${want}${shared}. ${LOST_KEY_WAY_OUT}`;
}

/**
 * Whether this server's key fits the data: nothing sealed yet, the key opens it, no key at all
 * (none is made here), or another key. Reads only.
 */
export async function keyFitsData(services: KeyContext): Promise<'nothing_sealed' | 'opens' | 'no_key' | 'other_key'> {
  const { db, config } = services;
  const recorded = await getSetting<string | null>(db, CHECK_SETTING, null);
  const sample = recorded ?? await anySealedValue(db);
  if (!sample) return 'nothing_sealed';
  if (!config.secretKey && !readKeyFile(config.dataDir)) return 'no_key';
  return opens(services, sample, recorded ? CHECK_TEXT : undefined) ? 'opens' : 'other_key';
}

/** Seals the check value with this server's key (creating DATA_DIR/secret-key if need be). */
export async function recordCheckValue(db: Executor, vault: KeyContext['vault']): Promise<void> {
  await setSetting(db, CHECK_SETTING, vault.seal(CHECK_TEXT));
}

async function check(services: KeyContext): Promise<void> {
  const fits = await keyFitsData(services);
  if (fits === 'no_key' || fits === 'other_key') throw new ConfigError(refusal(services, fits === 'no_key'));
  // The first start (with this check) seals the check value, creating DATA_DIR/secret-key if need be.
  if (!await getSetting<string | null>(services.db, CHECK_SETTING, null)) await recordCheckValue(services.db, services.vault);
}

/**
 * At start, before anything is sealed or seeded: the key opens what the database holds, or the
 * start stops with a ConfigError saying which key is expected. On PostgreSQL in the start turn,
 * so instances started together on an empty database agree on the one check value.
 */
export async function checkKeyAgainstData(services: Services): Promise<void> {
  const pool = services.store.pgPool;
  await (pool ? inStartTurn(pool, () => check(services)) : check(services));
}
