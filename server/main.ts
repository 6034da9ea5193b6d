import fs from 'node:fs';
import path from 'node:path';
import { openStored } from './secrets/at-rest';
import { startServer } from './server';
import { loadConfig, type Config } from './config';
import { ConfigError } from './http/trust-proxy';
import { checkHost, databaseWaitSeconds, fileProblem, portProblem, sqliteProblem, startupProblem, startWhenDatabaseReady } from './startup';

// The process that listens: prints where things are, and shuts down gracefully on signals.
const fail = (problem: string): never => {
  console.error(`Inbox Companion did not start: ${problem}`);
  process.exit(1);
};

// The settings first: one that cannot work stops the start before the database is opened (or
// created, or migrated), with the line that says what to fix rather than a stack trace.
let config: Config;
try {
  config = loadConfig(process.env);
  await checkHost(config.host);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  config = fail(err.message);
}
const { databaseUrl } = config;
const server = await startWhenDatabaseReady(() => startServer(), {
  databaseUrl, waitSeconds: databaseWaitSeconds(process.env.DATABASE_WAIT_SECONDS), say: (line) => console.error(line),
}).catch((err: unknown) => {
  const problem = (err instanceof ConfigError ? err.message : undefined) ?? startupProblem(err, databaseUrl) ?? portProblem(err) ?? fileProblem(err)
    ?? (databaseUrl ? undefined : sqliteProblem(err, path.join(config.dataDir, 'companion.sqlite')));
  if (!problem) throw err;
  return fail(problem);
});
const { url, tokens } = server;
const extensionDir = path.resolve('.output/chrome-mv3');
// The demo's "Order shipped" webhook, so the first start shows a trigger to try from a shell.
const demoHookRow = tokens.demo ? await server.store.db.selectFrom('workflows').select('webhook_token')
  .where('name', '=', 'Order shipped').where('status', '=', 'published').executeTakeFirst() : undefined;
const demoHook = demoHookRow?.webhook_token ? openStored(server.app.services.vault, demoHookRow.webhook_token) : undefined;
const adminTokenFile = path.join(config.dataDir, 'admin-token');
const demoTokensFile = path.join(config.dataDir, 'demo-tokens.json');
const lines = [
  '',
  `Inbox Companion is running on ${url} (${server.store.dialect}${server.store.dialect === 'sqlite' ? ` in ${config.dataDir}` : ''})`,
  `  Inbox:     ${url}/inbox`,
  `  API docs:  ${url}/docs`,
  tokens.admin ? `  Admin token:       ${tokens.admin}${config.adminToken ? '' : `  (kept in ${adminTokenFile})`}`
    // A database restored into another DATA_DIR, or an instance beside the one that made it, has no such file.
    : fs.existsSync(adminTokenFile) ? `  Admin token: see ${adminTokenFile} (printed on first start)`
      : '  Admin token: printed when this database first started (not kept in this DATA_DIR); set COMPANION_ADMIN_TOKEN to sign in as the admin with a token of your choice',
  ...(!tokens.demo && config.seedDemo && fs.existsSync(demoTokensFile) ? [`  Demo tokens: see ${demoTokensFile} (printed on first start)`] : []),
  ...Object.entries(tokens.demo ?? {}).map(([who, token]) => `  Demo ${who} token: ${' '.repeat(Math.max(0, 11 - who.length))}${token}`),
  ...(demoHook ? [`  Demo webhook:      curl -X POST ${url}/hooks/${demoHook} -H 'content-type: application/json' -d '{"phone":"+34600111222","order":{"id":"1042"}}'`] : []),
  fs.existsSync(extensionDir)
    ? `  Extension: open chrome://extensions, turn on Developer mode, "Load unpacked" -> ${extensionDir}`
    : '  Extension: run `npm run build` first, then load .output/chrome-mv3 in chrome://extensions',
  '  Then click the extension icon, enter the server URL and a token.',
  '',
];
console.log(lines.join('\n'));

// How long kept-alive connections have, on SIGTERM, to send what they already carry and get their
// 503 before they are cut (http/closing.ts drainConnections); busy ones close well before.
const SHUTDOWN_GRACE_MS = 2_000;
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close({ graceMs: SHUTDOWN_GRACE_MS }).then(() => process.exit(0), () => process.exit(1));
  });
}
