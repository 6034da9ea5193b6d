import path from 'node:path';
import { booleanSetting, choiceSetting, given, numberSetting, periodSetting, type NumberForm } from './config-env';
import { ConfigError, trustProxySetting } from './http/trust-proxy';
import { decodeKey } from './secrets/vault';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… ; undefined means the embedded SQLite store in dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL connections this instance keeps at most (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  publicUrl: string;
  adminToken: string | undefined;
  seedDemo: boolean;
  /** COMPANION_WORKERS (yes unless no): run executor, outbox and syncs here; no: an instance that only takes requests. */
  workers: boolean;
  allowPrivateUrls: string[];
  metaVerifyToken: string | undefined;
  metaAppSecret: string | undefined;
  /** Base of every Graph API call (channels, ads sync), version included; a stand-in in tests. */
  metaGraphUrl: string;
  /** Minutes between Marketing API syncs of linked ad accounts (0: only on demand; at most a week). */
  metaAdsSyncMinutes: number;
  /** Seconds between reconciles of each Chatwoot account (CHATWOOT_SYNC_SECONDS, 10 s to a week); 0: only Sync now. */
  chatwootSyncSeconds: number;
  /** Key that seals stored credentials (COMPANION_SECRET_KEY); unset: DATA_DIR/secret-key. */
  secretKey: string | undefined;
  /** Identifies this process in run leases. */
  instanceId: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Requests per minute per token (or address); webhooks have their own, per URL. */
  rateLimitPerMinute: number;
  webhookRateLimitPerMinute: number;
  /** Days finished runs, events and recorded effects are kept (RUN_RETENTION_DAYS; 0 keeps them forever). */
  runRetentionDays: number;
  /** Requests per minute per client address that fail authentication; above it, 429 without a lookup. */
  authFailuresPerMinute: number;
  /** Deliveries per minute per client address to webhook URLs that name no published workflow. */
  unknownHookPerMinute: number;
  unknownHookTarpitMs: number;
  /**
   * SQLite: execute runs on a thread of their own with its own connection to the same file
   * (COMPANION_EXECUTOR_THREAD=yes), so that acknowledging webhooks and executing runs use two cores.
   */
  executorThread: boolean;
  /** COMPANION_STATS=yes (benchmarks): /readyz adds what the process has spent. */
  stats: boolean;
  /** Whose X-Forwarded-For / -Proto to believe (TRUST_PROXY, http/trust-proxy.ts): false, true, or the proxies' addresses. */
  trustProxy: boolean | string[];
}

/** Graph API version pinned: v21.0 (Meta keeps a version callable for about two years). */
export const DEFAULT_META_GRAPH_URL = 'https://graph.facebook.com/v21.0';

/** PostgreSQL connections per instance unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** pino's levels, the ones LOG_LEVEL takes. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const list = (value: string | undefined) =>
  (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** A week: the longest period between syncs (a "monthly" sync meant one every millisecond, Node's timers stop at 24.8 days). */
const WEEK_SECONDS = 7 * 86_400;

const whole = (min: number, what: string): NumberForm => ({ min, whole: true, form: `a whole number of ${what} (${min} or more)` });

/** DATABASE_URL: PostgreSQL's URL, or unset for SQLite. Another scheme was taken for PostgreSQL (and waited for at 127.0.0.1:5432). */
function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = given(env, 'DATABASE_URL');
  if (raw === undefined || /^postgres(ql)?:\/\//i.test(raw)) return raw;
  // Only the scheme is quoted: the rest may hold a password.
  const scheme = /^[a-z][\w+.-]*:/i.exec(raw)?.[0];
  throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://${scheme ? ` (it starts with ${scheme}//)` : ''}; unset it to use SQLite in DATA_DIR`);
}

/** META_GRAPH_URL: every Graph call is built on it (`graph.facebook.com/v21.0` without a scheme was taken, and no call could work). */
function metaGraphUrl(env: NodeJS.ProcessEnv): string {
  const raw = given(env, 'META_GRAPH_URL');
  if (raw === undefined) return DEFAULT_META_GRAPH_URL;
  let url: URL | undefined;
  try { url = new URL(raw); } catch { /* refused below */ }
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.host) {
    throw new ConfigError(`META_GRAPH_URL=${raw} is not an http:// or https:// URL: give the Graph API's base with its version, e.g. ${DEFAULT_META_GRAPH_URL}, or unset it`);
  }
  return raw.replace(/\/+$/, '');
}

/** PUBLIC_URL: webhook URLs are built from it, so without a scheme they were not URLs at all. */
function publicUrl(env: NodeJS.ProcessEnv, fallback: string): string {
  const raw = given(env, 'PUBLIC_URL');
  if (raw === undefined) return fallback;
  let url: URL | undefined;
  try { url = new URL(raw); } catch { /* refused below */ }
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.host) {
    throw new ConfigError(`PUBLIC_URL=${raw} is not an http:// or https:// URL: give the address others reach the server at, e.g. https://companion.example.com`);
  }
  return raw.replace(/\/+$/, '');
}

/** COMPANION_SECRET_KEY, checked before anything is written (a short one crashed the first start midway). */
function secretKey(env: NodeJS.ProcessEnv): string | undefined {
  const raw = given(env, 'COMPANION_SECRET_KEY');
  if (raw === undefined) return undefined;
  try { decodeKey(raw); } catch { throw new ConfigError(`COMPANION_SECRET_KEY is not a 32-byte key: give 64 hex characters or 32 bytes in base64 (openssl rand -base64 32), or unset it to keep the key in DATA_DIR/secret-key`); }
  return raw;
}

/**
 * The configuration from the environment. A value that cannot be read throws ConfigError (main.ts
 * prints it as the reason the server did not start), before any file or database is touched.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = numberSetting(env, 'PORT', 8787, { min: 0, max: 65_535, whole: true, form: 'a port number (a whole number from 0 to 65535)' });
  const host = given(env, 'HOST') ?? '127.0.0.1';
  const base: Config = {
    port,
    host,
    dataDir: path.resolve(given(env, 'DATA_DIR') ?? 'data'),
    databaseUrl: databaseUrl(env),
    // At least one, at most 100: a pool of 0 would wait forever, and each connection is a
    // PostgreSQL backend (with its own plan cache) that max_connections has to allow for.
    databasePoolSize: numberSetting(env, 'DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, { min: 1, max: 100, whole: true, clamp: true, form: 'a number of connections (1 to 100)' }),
    publicUrl: publicUrl(env, `http://${host}:${port}`),
    adminToken: env.COMPANION_ADMIN_TOKEN || undefined,
    seedDemo: booleanSetting(env, 'COMPANION_DEMO', true),
    workers: booleanSetting(env, 'COMPANION_WORKERS', true),
    allowPrivateUrls: list(env.COMPANION_ALLOW_PRIVATE_URLS),
    metaVerifyToken: env.META_VERIFY_TOKEN || undefined,
    metaAppSecret: env.META_APP_SECRET || undefined,
    metaAdsSyncMinutes: periodSetting(env, 'META_ADS_SYNC_MINUTES', 60, { min: 1, max: WEEK_SECONDS / 60, form: 'a whole number of minutes from 1 to 10080 (a week), or 0 to sync only on demand' }),
    // At least 10 s: each pass reads every open conversation's pages, per account.
    chatwootSyncSeconds: periodSetting(env, 'CHATWOOT_SYNC_SECONDS', 300, { min: 10, max: WEEK_SECONDS, form: 'a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off' }),
    metaGraphUrl: metaGraphUrl(env),
    secretKey: secretKey(env),
    instanceId: `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    logLevel: choiceSetting(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    rateLimitPerMinute: numberSetting(env, 'RATE_LIMIT_PER_MINUTE', 12_000, whole(1, 'requests per minute')),
    webhookRateLimitPerMinute: numberSetting(env, 'WEBHOOK_RATE_LIMIT_PER_MINUTE', 60_000, whole(1, 'requests per minute')),
    runRetentionDays: numberSetting(env, 'RUN_RETENTION_DAYS', 30, { min: 0, form: 'a number of days (0 or more; 0 keeps everything)' }),
    authFailuresPerMinute: numberSetting(env, 'AUTH_FAILURES_PER_MINUTE', 60, whole(0, 'requests per minute')),
    unknownHookPerMinute: numberSetting(env, 'WEBHOOK_UNKNOWN_PER_MINUTE', 60, whole(0, 'deliveries per minute')),
    // Clamped: a timer over 2^31 ms would fire at once (Node), and a minute is hold enough.
    unknownHookTarpitMs: numberSetting(env, 'WEBHOOK_UNKNOWN_DELAY_MS', 1_000, { min: 0, max: 60_000, clamp: true, form: 'a number of milliseconds' }),
    executorThread: booleanSetting(env, 'COMPANION_EXECUTOR_THREAD', false),
    stats: booleanSetting(env, 'COMPANION_STATS', false),
    trustProxy: trustProxySetting(env.TRUST_PROXY),
  };
  return { ...base, ...overrides };
}
