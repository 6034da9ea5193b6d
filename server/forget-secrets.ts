import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from './config';
import { ConfigError } from './http/trust-proxy';
import { forgetSealedSecrets } from './secrets/forget';
import { forgottenLines } from './secrets/forget-report';
import { keyFitsData } from './secrets/key-check';
import { createVault, keyFile } from './secrets/vault';
import { fileProblem, sqliteProblem, startupProblem } from './startup';
import { inStartTurn, openStore, type Store } from './store/database';
import { liveInstances } from './engine/executor/peers';
import { runningInstances } from './engine/executor/running-lock';
import { runningOnSqlite } from './sqlite-servers';

// `npm run forget-secrets -- --yes`: the way out for a team that lost the secret key, which a
// start refuses to do without (key-check.ts). A command rather than a setting for one start: a
// setting left in a compose file or unit would forget every credential entered since at the next
// lost key, unasked; a command does it once, when typed, and stops (n8n's own recovery steps are
// CLI commands too, e.g. `n8n user-management:reset`). It refuses while the key opens the data.

const USAGE = 'Usage: npm run forget-secrets -- --yes   (with the DATA_DIR, DATABASE_URL and COMPANION_SECRET_KEY the server starts with)';
const WHAT = 'channel, ad-account and Chatwoot tokens, webhook URLs and signing secrets, mini-app signing secrets and install values';

const stop = (code: number, ...lines: string[]): never => {
  (code === 0 ? console.log : console.error)(lines.join('\n'));
  process.exit(code);
};

/** Which key the credentials are sealed with from now on, and what the operator must do with it. */
function keyLines(config: Config, fileWasThere: boolean, store: Store): string[] {
  const file = keyFile(config.dataDir);
  const lines = config.secretKey
    ? ['The new key is the COMPANION_SECRET_KEY this ran with: start the server with it, and keep it with every backup.']
    : [fileWasThere
      ? `The new key is ${file}, which was there already (it did not open the forgotten credentials): keep it with every backup.`
      : `The new key is in ${file} (made now, mode 0600): keep it with every backup.`];
  if (store.dialect === 'postgres' && !config.secretKey) {
    lines.push(`Every instance on this database needs it: set COMPANION_SECRET_KEY to the content of ${file} on each (or copy the file into each DATA_DIR).`);
  }
  return lines;
}

/** Each instance as `instance <id>: pid N from <address>`: where to stop it. */
async function instancesOnPostgres(store: Store): Promise<string[]> {
  const locked = await runningInstances(store.pgPool!);
  const ids = new Set(locked.map((i) => i.id));
  // An instance whose LISTEN session is being reconnected still checks in to engine_peers if it executes runs.
  const unlocked = (await liveInstances(store.db)).filter((id) => !ids.has(id)).map((id) => ({ id }));
  return [...locked, ...unlocked].map(({ id, where }: { id: string; where?: string }) => {
    const pid = /^(\d+)-/.exec(id)?.[1];
    return `instance ${id}${pid ? `: pid ${pid}` : ''}${where ? ` ${where}` : ''}`;
  }).sort();
}

/**
 * Why nothing was forgotten, and what to do in either case, which this cannot tell from here: the
 * running server may have the key the credentials were sealed with (nothing is lost: its key is the
 * one to use), or have been started with a new one after the old was lost (then forgetting is the
 * way on, once it is stopped: it seals with its own key meanwhile). SQLite has no "others" to
 * copy a key to: its server shares this DATA_DIR.
 */
function refusedWhileRunning(store: Store, running: string[], config: Config): string {
  const who = running.length === 1 ? 'a server is' : `${running.length} servers are`;
  if (store.dialect === 'postgres') {
    return `forget-secrets: ${who} running on this database (${running.join('; ')}); nothing was changed. If one of them opens the credentials (it was started with the key they were sealed with), nothing is lost: give that key (its COMPANION_SECRET_KEY, or the secret-key file in its DATA_DIR) to every instance without it instead. If none does (that key is lost and they run with a new one), stop every server on this database first, then run this again with the new key.`;
  }
  const its = config.secretKey
    ? `its COMPANION_SECRET_KEY (or none, if it uses ${keyFile(config.dataDir)})`
    : `its COMPANION_SECRET_KEY, if it has one (${keyFile(config.dataDir)}, which this ran with, does not open them)`;
  return `forget-secrets: ${who} running on this DATA_DIR (${running.join('; ')}); nothing was changed. Stop it first (${running.length === 1 ? 'that process' : 'each of those processes'}), then run this again with the key it was started with, ${its}. If that key opens the credentials, nothing is lost: this says so and changes nothing, and the server starts as it is. If it does not (the key they were sealed with is lost), this forgets them and says what to enter again.`;
}

/** What the command comes to: its exit code and what it says. */
async function forget(config: Config, store: Store): Promise<{ code: number; text: string }> {
  const vault = createVault(config);
  const fileWasThere = existsSync(keyFile(config.dataDir));
  const fits = await keyFitsData({ db: store.db, vault, config, store });
  if (fits === 'nothing_sealed') return { code: 0, text: 'Nothing in the database is sealed with a secret key: nothing was forgotten.' };
  if (fits === 'opens') {
    return { code: 1, text: `forget-secrets: the secret key (${config.secretKey ? 'COMPANION_SECRET_KEY' : keyFile(config.dataDir)}) opens the credentials stored in the database: nothing is lost, and nothing was forgotten. Start the server as it is.` };
  }
  // A server still running on the database has the key this one lacks (copy it instead), and goes
  // on sealing with it: what is entered there from now on could not be opened after its restart.
  // Executing runs (engine_peers) or only serving requests (COMPANION_WORKERS=0: running-lock.ts).
  // SQLite: each server's locked file beside the database (sqlite-servers.ts).
  const running = store.pgPool ? await instancesOnPostgres(store) : store.file ? runningOnSqlite(store.file) : [];
  if (running.length) return { code: 1, text: refusedWhileRunning(store, running, config) };
  const summary = await forgetSealedSecrets(store.db, vault);
  const lines = forgottenLines(summary);
  return {
    code: 0,
    text: [
      `Forgot the credentials sealed with the lost key (${store.dialect === 'postgres' ? 'PostgreSQL' : store.file}):`,
      ...(lines.length ? lines : ['- none apart from the key check: nothing needs entering again.']),
      'Contacts, conversations, workflows, their versions and runs were not changed (HTTP request steps keep their credentials: they are part of the workflow, not sealed). The options page shows each of the above where its credential is entered.',
      ...keyLines(config, fileWasThere, store),
    ].join('\n'),
  };
}

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--yes');
if (unknown.length) stop(2, `forget-secrets: unknown argument${unknown.length === 1 ? '' : 's'} ${unknown.join(' ')}`, USAGE);

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  config = stop(1, `forget-secrets: ${err.message}`);
}
if (!args.includes('--yes')) {
  stop(1,
    'forget-secrets: nothing was changed.',
    `With --yes it forgets every credential sealed with a secret key this server no longer has (${WHAT}), seals from now on with a new key, and says what to enter again. Contacts, conversations, workflows and runs stay.`,
    'Use it only when the key is lost: with the key the data was sealed with it refuses and changes nothing. Stop every server on this database first.',
    USAGE);
}
const sqliteFile = path.join(config.dataDir, 'companion.sqlite');
// Opening SQLite would create an empty database: a mistyped DATA_DIR says so instead.
if (!config.databaseUrl && !existsSync(sqliteFile)) stop(1, `forget-secrets: there is no database at ${sqliteFile} (DATA_DIR); nothing was changed.`);
let outcome: { code: number; text: string };
try {
  const store = await openStore({ databaseUrl: config.databaseUrl, poolSize: 2, sqliteFile });
  try {
    // PostgreSQL: not while an instance is in its start turn (it checks the key there).
    outcome = await (store.pgPool ? inStartTurn(store.pgPool, () => forget(config, store)) : forget(config, store));
  } finally {
    await store.close();
  }
} catch (err) {
  const problem = (err instanceof ConfigError ? err.message : undefined) ?? startupProblem(err, config.databaseUrl) ?? fileProblem(err)
    ?? (config.databaseUrl ? undefined : sqliteProblem(err, sqliteFile));
  if (!problem) throw err;
  stop(1, `forget-secrets: ${problem}; nothing was changed.`);
}
stop(outcome!.code, outcome!.text);
