import type { Role, Teammate, User, UserKind, UserPatchBody } from '../../lib/contracts/users';
import { conflict, HttpError, notFound } from '../http-error';
import { newId, nowIso } from '../ids';
import { issueToken } from '../auth/tokens';
import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import type { Services } from '../services';
import { isPostgres, isUniqueViolation, type Executor } from '../store/database';
import type { UsersTable } from '../store/schema';
import { shortcutsVersion } from '../engine/shortcuts/version';
import { publishedUses } from '../engine/workflows/uses';
import { assignConversation } from './conversations';
import { writeActivity } from './activity';
import { lineAuthor, unassignedOnDeactivationText } from './change-lines';
import type { Cause } from './contacts';
import { getSetting, setSetting } from './settings';

export const toUser = (r: UsersTable): User => ({
  id: r.id, name: r.name, email: r.email, role: r.role as Role, kind: (r.kind ?? 'human') as UserKind, shortcutsEnabled: r.shortcuts_enabled === 1, createdAt: r.created_at,
  active: !r.deactivated_at, deactivatedAt: r.deactivated_at ?? null,
});

export async function createUser(db: Executor, input: { name: string; email: string; role: Role; kind?: UserKind }, token?: string) {
  const row: UsersTable = {
    id: newId('usr'), name: input.name, email: input.email, role: input.role, kind: input.kind ?? 'human', shortcuts_enabled: 1, created_at: nowIso(), deactivated_at: null,
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

/** Every user's name and role, for any signed-in user (GET /teammates); emails only `withEmails` (who may read GET /users). */
export async function listTeammates(db: Executor, withEmails = false): Promise<Teammate[]> {
  const rows = await db.selectFrom('users').select(['id', 'name', 'email', 'role', 'kind', 'deactivated_at']).orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, role: r.role as Role, kind: (r.kind ?? 'human') as UserKind, active: !r.deactivated_at,
    ...(withEmails ? { email: r.email } : {}),
  }));
}

export async function setUserShortcutsEnabled(db: Executor, id: string, enabled: boolean): Promise<User> {
  const result = await db.updateTable('users').set({ shortcuts_enabled: enabled ? 1 : 0 }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('User');
  return getUser(db, id);
}

/** The inbox login cookies' tokens (POST /auth/inbox-session): they are the ones that end. */
export const INBOX_SESSION_LABEL = 'inbox sign-in';

/** What a deactivation did besides, for the admin to see. */
export interface Deactivated {
  /** Open conversations that were assigned to the user and are now unassigned. */
  unassigned: number;
  /** Published workflows whose Assign step names the user: those steps fail until changed. */
  workflowsAssigning: { id: string; name: string }[];
  /**
   * Of `unassigned`, the ones that live in Chatwoot: the route unassigns them there once this has
   * committed (routes/users/chatwoot-unassign.ts), as Chatwoot's own removal of an agent would.
   */
  inChatwoot: string[];
}

const lastAdmin = (self: boolean, name: string) => new HttpError(409, 'last_admin', self
  ? 'You are the workspace\'s only active admin: make another user admin first, so that someone can still manage it'
  : `${name} is the workspace's only active admin: make another user admin first, so that someone can still manage it`);

/**
 * An admin's change to a user (PATCH /users/:id): name, role, deactivate or reactivate.
 *
 * Deactivating (Chatwoot's "remove agent" without losing history): the user row stays, so their
 * messages, assignments in closed conversations, runs and events keep their name. At once their
 * tokens are refused (the auth plugin reads the user on every request, on every instance: there is
 * no token cache to wait for), their inbox login cookies are revoked and unused sign-in codes
 * dropped, their open conversations are unassigned (as Chatwoot's Agents::DestroyJob does, each an
 * ordinary `conversation.assigned` event), and their open event streams are ended on every
 * instance (`user.changed`, watched by the stream route). Their API token itself is kept: a
 * reactivated user signs in with it again (give them a new token if it may have leaked).
 *
 * The workspace always keeps an active admin: demoting or deactivating the last one is a 409
 * (`last_admin`), whoever asks, that admin included. On PostgreSQL the active admins' rows are
 * locked while this decides, so two admins demoting each other at once cannot both succeed.
 */
export async function updateUser(services: Services, actor: User, id: string, patch: UserPatchBody): Promise<User & Partial<Deactivated>> {
  const result = await inTransaction(services.db, async (uow) => {
    const trx = uow.trx;
    if (isPostgres(trx)) {
      // The user and every active admin, locked in id order (two admins demoting each other at
      // once wait for one another instead of deadlocking); the reads below then see whatever the
      // other committed. SQLite: the transaction holds the one write lock from its start.
      await trx.selectFrom('users').select('id')
        .where((eb) => eb.or([eb('id', '=', id), eb.and([eb('role', '=', 'admin'), eb('deactivated_at', 'is', null)])]))
        .orderBy('id').forUpdate().execute();
    }
    const before = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('User');
    const wasActive = !before.deactivated_at;
    const active = patch.active ?? wasActive;
    const role = patch.role ?? (before.role as Role);
    if (wasActive && before.role === 'admin' && (!active || role !== 'admin')) {
      const others = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('deactivated_at', 'is', null).where('id', '!=', id).execute();
      if (others.length === 0) throw lastAdmin(actor.id === id, before.name);
    }
    const set: Partial<UsersTable> = {};
    if (patch.name !== undefined && patch.name !== before.name) set.name = patch.name;
    if (role !== before.role) set.role = role;
    if (active !== wasActive) set.deactivated_at = active ? null : nowIso();
    if (Object.keys(set).length > 0) await trx.updateTable('users').set(set).where('id', '=', id).execute();
    const after = toUser({ ...before, ...set });
    const changed = Object.keys(set).length > 0;
    const rights = 'role' in set || 'deactivated_at' in set;
    if (!(wasActive && !active)) return { user: after, changed, rights };
    const cause: Cause = { source: actor.kind === 'bot' ? 'bot' : 'user', by: actor.id };
    const deactivated = await cutOff(uow, services, { ...before, ...set }, actor, cause);
    return { user: { ...after, ...deactivated }, changed, rights };
  });
  if (result.changed) await announceUserChanged(services, id, result.rights);
  return result.user;
}

/** Deactivation's consequences, in its transaction. */
async function cutOff(uow: UnitOfWork, services: Services, user: UsersTable, actor: User, cause: Cause): Promise<Deactivated> {
  const trx = uow.trx;
  const userId = user.id;
  const now = nowIso();
  await trx.updateTable('tokens').set({ revoked_at: now })
    .where('user_id', '=', userId).where('label', '=', INBOX_SESSION_LABEL).where('revoked_at', 'is', null).execute();
  await trx.deleteFrom('inbox_sign_in_codes').where('user_id', '=', userId).execute();
  const open = await trx.selectFrom('conversations').leftJoin('connections', 'connections.id', 'conversations.connection_id')
    .select(['conversations.id as id', 'conversations.contact_id as contactId', 'connections.kind as kind'])
    .where('conversations.assignee_id', '=', userId).where('conversations.status', '=', 'open').orderBy('conversations.id').execute();
  for (const c of open) await assignConversation(uow, services, c.id, null, cause);
  // Each thread says why (an agent finding it nobody's asks), in one insert however many. None on
  // a conversation that lives in Chatwoot: it shows Chatwoot's lines, not ours (change-lines.ts).
  const by = lineAuthor({ type: 'user', id: actor.id, name: actor.name });
  await writeActivity(trx, open.filter((c) => c.kind !== 'chatwoot')
    .map((c) => ({ conversationId: c.id, contactId: c.contactId, text: unassignedOnDeactivationText(user.name), author: by })));
  const workflowsAssigning = (await publishedUses(trx, (def) => (def.steps ?? [])
    .filter((s) => s?.type === 'assign_to' && (s.config as { userId?: unknown } | undefined)?.userId === userId)))
    .map((w) => ({ id: w.id, name: w.name }));
  return { unassigned: open.length, workflowsAssigning, inChatwoot: open.filter((c) => c.kind === 'chatwoot').map((c) => c.id) };
}

/**
 * A new API token for a user (POST /users/:id/token), shown once: every earlier token of theirs
 * (the API token, a COMPANION_ADMIN_TOKEN, inbox login cookies) is revoked in the same
 * transaction, and their event streams signed with one are ended on every instance.
 */
export async function issueNewToken(services: Services, id: string): Promise<{ user: User; token: string }> {
  const issued = await inTransaction(services.db, async (uow) => {
    const trx = uow.trx;
    let read = trx.selectFrom('users').selectAll().where('id', '=', id);
    if (isPostgres(trx)) read = read.forUpdate();
    const row = await read.executeTakeFirst();
    if (!row) throw notFound('User');
    await trx.updateTable('tokens').set({ revoked_at: nowIso() }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    await trx.deleteFrom('inbox_sign_in_codes').where('user_id', '=', id).execute();
    const { token } = await issueToken(trx, { kind: 'user', userId: id }, row.kind === 'bot' ? 'bot API token (new)' : 'new token');
    return { user: toUser(row), token };
  });
  await announceUserChanged(services, id, false);
  return issued;
}

/**
 * After a committed change to a user: every instance ends the user's streams that no longer
 * hold (stream route), and the user's extension reads /me again. A new role or a deactivation
 * (`rights`) changes the restrictions version too: every extension reads its shortcuts again.
 */
async function announceUserChanged(services: Services, userId: string, rights: boolean) {
  services.live.publish({ type: 'user.changed', userId });
  if (rights) services.live.publish({ type: 'restrictions.changed', version: await shortcutsVersion(services.db) });
}

const RESTRICTIONS = 'restrictions';
export const getRestrictions = (db: Executor) => getSetting(db, RESTRICTIONS, { agentsCanUseShortcuts: true });
export const setRestrictions = (db: Executor, value: { agentsCanUseShortcuts: boolean }) => setSetting(db, RESTRICTIONS, value);
