import type { Role, User, UserKind } from '../../lib/contracts/users';
import { conflict, notFound } from '../http-error';
import { newId, nowIso } from '../ids';
import { issueToken } from '../auth/tokens';
import { isUniqueViolation, type Executor } from '../store/database';
import type { UsersTable } from '../store/schema';
import { getSetting, setSetting } from './settings';

export const toUser = (r: UsersTable): User => ({
  id: r.id, name: r.name, email: r.email, role: r.role as Role, kind: (r.kind ?? 'human') as UserKind, shortcutsEnabled: r.shortcuts_enabled === 1, createdAt: r.created_at,
});

export async function createUser(db: Executor, input: { name: string; email: string; role: Role; kind?: UserKind }, token?: string) {
  const row: UsersTable = {
    id: newId('usr'), name: input.name, email: input.email, role: input.role, kind: input.kind ?? 'human', shortcuts_enabled: 1, created_at: nowIso(),
  };
  try {
    await db.insertInto('users').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A user with email ${input.email} already exists`);
    throw err;
  }
  const issued = await issueToken(db, { kind: 'user', userId: row.id }, row.kind === 'bot' ? 'bot API token' : 'created with the user', token);
  return { user: toUser(row), token: issued.token };
}

export async function getUser(db: Executor, id: string): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('User');
  return toUser(row);
}

export async function listUsers(db: Executor): Promise<User[]> {
  return (await db.selectFrom('users').selectAll().orderBy('id').execute()).map(toUser);
}

export async function setUserShortcutsEnabled(db: Executor, id: string, enabled: boolean): Promise<User> {
  const result = await db.updateTable('users').set({ shortcuts_enabled: enabled ? 1 : 0 }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('User');
  return getUser(db, id);
}

const RESTRICTIONS = 'restrictions';
export const getRestrictions = (db: Executor) => getSetting(db, RESTRICTIONS, { agentsCanUseShortcuts: true });
export const setRestrictions = (db: Executor, value: { agentsCanUseShortcuts: boolean }) => setSetting(db, RESTRICTIONS, value);
