import { hash } from 'node:crypto';
import type { Executor } from '../store/database';
import { newId, nowIso, randomSecret } from '../ids';
import { fromJson } from '../store/database';
import type { Scope } from '../../lib/contracts/scopes';

// Tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely
// (no dictionary to attack) and keeps the lookup a single indexed equality.
// (crypto.hash: one call, no Hash object; hashed for every webhook batch and API request.)
export const hashToken = (token: string) => hash('sha256', token, 'hex');

export type TokenOwner = { kind: 'user'; userId: string } | { kind: 'app'; installationId: string; scopes: Scope[] };

export async function issueToken(db: Executor, owner: TokenOwner, label = '', secret?: string): Promise<{ id: string; token: string }> {
  const token = secret ?? `${owner.kind === 'user' ? 'ict' : 'ica'}_${randomSecret()}`;
  const id = newId('tok');
  await db.insertInto('tokens').values({
    id,
    hash: hashToken(token),
    kind: owner.kind,
    user_id: owner.kind === 'user' ? owner.userId : null,
    installation_id: owner.kind === 'app' ? owner.installationId : null,
    scopes: JSON.stringify(owner.kind === 'app' ? owner.scopes : []),
    label,
    created_at: nowIso(),
    revoked_at: null,
  }).execute();
  return { id, token };
}

/**
 * Whether a presented token has the form of the ones issueToken makes (`ict_` / `ica_` and 256
 * random bits): such a token cannot be guessed at any rate. A secret given to issueToken
 * (COMPANION_ADMIN_TOKEN) may be of any form, and weak.
 */
export const hasIssuedForm = (token: string) => /^ic[ta]_[A-Za-z0-9_-]{43}$/.test(token);

export async function findToken(db: Executor, token: string) {
  const row = await db.selectFrom('tokens').selectAll().where('hash', '=', hashToken(token)).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, scopes: fromJson<Scope[]>(row.scopes, []) };
}

export async function revokeToken(db: Executor, id: string) {
  await db.updateTable('tokens').set({ revoked_at: nowIso() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}
