import fs from 'node:fs';
import path from 'node:path';
import { hashToken, issueToken } from './auth/tokens';
import { createUser } from './domain/users';
import { getSetting, setSetting } from './domain/settings';
import { seedDemo } from './demo/seed';
import type { Services } from './services';
import { inStartTurn } from './store/database';

/**
 * First start: an admin (token from COMPANION_ADMIN_TOKEN, or generated, printed once and kept
 * in DATA_DIR/admin-token with mode 0600), then the demo workspace unless COMPANION_DEMO=0.
 * On PostgreSQL, instances started together take turns (inStartTurn): the first creates the
 * admin and the demo, the others find them.
 */
export async function bootstrap(services: Services): Promise<{ admin?: string; demo?: Record<string, string> }> {
  const pool = services.store.pgPool;
  return pool ? inStartTurn(pool, () => bootstrapOnce(services)) : bootstrapOnce(services);
}

async function bootstrapOnce(services: Services): Promise<{ admin?: string; demo?: Record<string, string> }> {
  const { db, config } = services;
  const result: { admin?: string; demo?: Record<string, string> } = {};
  const admin = await db.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('id').executeTakeFirst();
  if (!admin) {
    const created = await createUser(db, { name: 'Admin', email: 'admin@companion.local', role: 'admin' }, config.adminToken);
    result.admin = created.token;
    if (!config.adminToken) writeSecretFile(config.dataDir, 'admin-token', created.token);
  } else if (config.adminToken) {
    // A bootstrap token given later still signs the first admin in.
    const exists = await db.selectFrom('tokens').select('id').where('user_id', '=', admin.id).where('label', '=', 'COMPANION_ADMIN_TOKEN').executeTakeFirst();
    const known = await db.selectFrom('tokens').select(['id', 'revoked_at']).where('hash', '=', hashToken(config.adminToken)).executeTakeFirst();
    if (!exists && !known) await issueToken(db, { kind: 'user', userId: admin.id }, 'COMPANION_ADMIN_TOKEN', config.adminToken);
    // Replaced by a new token (POST /users/:id/token): it stays revoked, and is not printed as if it worked.
    if (known?.revoked_at) services.log.warn('COMPANION_ADMIN_TOKEN was revoked (the admin was given a new token); it no longer signs in: unset it');
    else result.admin = config.adminToken;
  }
  if (config.seedDemo && !(await getSetting(db, 'demo_seeded', false))) {
    result.demo = await seedDemo(services);
    await setSetting(db, 'demo_seeded', true);
    writeSecretFile(config.dataDir, 'demo-tokens.json', JSON.stringify(result.demo, null, 2));
  }
  // Later starts do not print the demo tokens again (like the admin token): they are in
  // DATA_DIR/demo-tokens.json (0600) for whoever may read the data directory.
  return result;
}

function writeSecretFile(dir: string, name: string, content: string) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(dir, name), content, { mode: 0o600 });
  } catch { /* a read-only data dir only costs the reminder file */ }
}
