import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… ; undefined means the embedded SQLite store in dataDir. */
  databaseUrl: string | undefined;
  publicUrl: string;
  adminToken: string | undefined;
  seedDemo: boolean;
  allowPrivateUrls: string[];
  metaVerifyToken: string | undefined;
  metaAppSecret: string | undefined;
  /** Key that seals stored credentials (COMPANION_SECRET_KEY); unset: DATA_DIR/secret-key. */
  secretKey: string | undefined;
  /** Identifies this process in run leases. */
  instanceId: string;
  logLevel: string;
  /** Requests per minute per token (or address); webhooks have their own, per URL. */
  rateLimitPerMinute: number;
  webhookRateLimitPerMinute: number;
  /** Requests per minute per client address that fail authentication; above it, 429 without a lookup. */
  authFailuresPerMinute: number;
  /** Deliveries per minute per client address to webhook URLs that name no published workflow. */
  unknownHookPerMinute: number;
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
    publicUrl: (env.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/+$/, ''),
    adminToken: env.COMPANION_ADMIN_TOKEN || undefined,
    seedDemo: env.COMPANION_DEMO !== '0',
    allowPrivateUrls: list(env.COMPANION_ALLOW_PRIVATE_URLS),
    metaVerifyToken: env.META_VERIFY_TOKEN || undefined,
    metaAppSecret: env.META_APP_SECRET || undefined,
    secretKey: env.COMPANION_SECRET_KEY || undefined,
    instanceId: `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: Number(env.RATE_LIMIT_PER_MINUTE ?? 12_000),
    webhookRateLimitPerMinute: Number(env.WEBHOOK_RATE_LIMIT_PER_MINUTE ?? 60_000),
    authFailuresPerMinute: Number(env.AUTH_FAILURES_PER_MINUTE ?? 60),
    unknownHookPerMinute: Number(env.WEBHOOK_UNKNOWN_PER_MINUTE ?? 60),
  };
  return { ...base, ...overrides };
}
