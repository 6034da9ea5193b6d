import path from 'node:path';
import { trustProxySetting } from './http/trust-proxy';

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
  allowPrivateUrls: string[];
  metaVerifyToken: string | undefined;
  metaAppSecret: string | undefined;
  /** Base of every Graph API call (channels, ads sync), version included; a stand-in in tests. */
  metaGraphUrl: string;
  /** Minutes between Marketing API syncs of linked ad accounts (0: only on demand). */
  metaAdsSyncMinutes: number;
  /** Seconds between reconciles of each Chatwoot account (CHATWOOT_SYNC_SECONDS); 0: only Sync now. */
  chatwootSyncSeconds: number;
  /** Key that seals stored credentials (COMPANION_SECRET_KEY); unset: DATA_DIR/secret-key. */
  secretKey: string | undefined;
  /** Identifies this process in run leases. */
  instanceId: string;
  logLevel: string;
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
   * (COMPANION_EXECUTOR_THREAD=1 or true; anything else leaves runs on the main thread), so that
   * acknowledging webhooks and executing runs use two cores.
   */
  executorThread: boolean;
  /** Whose X-Forwarded-For / -Proto to believe (TRUST_PROXY, http/trust-proxy.ts): false, true, or the proxies' addresses. */
  trustProxy: boolean | string[];
}

/** Graph API version pinned: v21.0 (Meta keeps a version callable for about two years). */
export const DEFAULT_META_GRAPH_URL = 'https://graph.facebook.com/v21.0';

/** PostgreSQL connections per instance unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

function poolSize(value: string | undefined): number {
  if (!value?.trim()) return DEFAULT_POOL_SIZE;
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) ? Math.min(100, Math.max(1, n)) : DEFAULT_POOL_SIZE;
}

const list = (value: string | undefined) =>
  (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = Number(env.PORT ?? 8787);
  const host = env.HOST ?? '127.0.0.1';
  const base: Config = {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    // At least one, at most 100: a pool of 0 would wait forever, and each connection is a
    // PostgreSQL backend (with its own plan cache) that max_connections has to allow for.
    databasePoolSize: poolSize(env.DATABASE_POOL_SIZE),
    publicUrl: (env.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/+$/, ''),
    adminToken: env.COMPANION_ADMIN_TOKEN || undefined,
    seedDemo: env.COMPANION_DEMO !== '0',
    allowPrivateUrls: list(env.COMPANION_ALLOW_PRIVATE_URLS),
    metaVerifyToken: env.META_VERIFY_TOKEN || undefined,
    metaAppSecret: env.META_APP_SECRET || undefined,
    metaAdsSyncMinutes: Number(env.META_ADS_SYNC_MINUTES ?? 60),
    chatwootSyncSeconds: Number(env.CHATWOOT_SYNC_SECONDS ?? 300),
    metaGraphUrl: (env.META_GRAPH_URL || DEFAULT_META_GRAPH_URL).replace(/\/+$/, ''),
    secretKey: env.COMPANION_SECRET_KEY || undefined,
    instanceId: `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: Number(env.RATE_LIMIT_PER_MINUTE ?? 12_000),
    webhookRateLimitPerMinute: Number(env.WEBHOOK_RATE_LIMIT_PER_MINUTE ?? 60_000),
    runRetentionDays: Math.max(0, Number(env.RUN_RETENTION_DAYS ?? 30) || 0),
    authFailuresPerMinute: Number(env.AUTH_FAILURES_PER_MINUTE ?? 60),
    unknownHookPerMinute: Number(env.WEBHOOK_UNKNOWN_PER_MINUTE ?? 60),
    // Clamped: a timer over 2^31 ms would fire at once (Node), and a minute is hold enough.
    unknownHookTarpitMs: Math.min(60_000, Math.max(0, Number(env.WEBHOOK_UNKNOWN_DELAY_MS ?? 1_000) || 0)),
    executorThread: ['1', 'true'].includes((env.COMPANION_EXECUTOR_THREAD ?? '').trim().toLowerCase()),
    trustProxy: trustProxySetting(env.TRUST_PROXY),
  };
  return { ...base, ...overrides };
}
