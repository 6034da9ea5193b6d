import { z } from 'zod';
import { Email, Id, Timestamp } from './common';

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** A person, or a bot user (an AI agent or script with its own API token): its changes have source `bot`. */
export const USER_KINDS = ['human', 'bot'] as const;
export const UserKind = z.enum(USER_KINDS);
export type UserKind = z.infer<typeof UserKind>;

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  role: Role,
  kind: UserKind.default('human'),
  shortcutsEnabled: z.boolean(),
  createdAt: Timestamp,
  /**
   * false once an admin deactivated the user: their tokens and inbox sessions are refused, they
   * cannot be assigned, and what they did keeps their name. Servers before it leave it out: active.
   */
  active: z.boolean().optional(),
  /** When the user was deactivated; null while active. */
  deactivatedAt: Timestamp.nullable().optional(),
});
export type User = z.infer<typeof User>;

/** Whether a user may sign in and be assigned (a user from an older server, without the field, is). */
export const isActive = (user: Pick<User, 'active'>) => user.active !== false;

export const UserCreateBody = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'A name has at most 100 characters'),
  email: Email,
  role: Role,
  kind: UserKind.default('human'),
});
export const UserCreated = z.object({ user: User, token: z.string() });

/**
 * An admin's change to a user: name, role, or `active: false` (deactivate: their tokens and inbox
 * sessions stop at once, their open conversations are unassigned) / `active: true` (reactivate).
 */
export const UserPatchBody = z.strictObject({
  name: UserCreateBody.shape.name.optional(),
  role: Role.optional(),
  active: z.boolean().optional(),
}, {
  error: (issue) => (issue.code === 'unrecognized_keys'
    ? `Only name, role and active can be changed (not ${issue.keys.join(', ')})`
    : undefined),
}).refine((b) => b.name !== undefined || b.role !== undefined || b.active !== undefined, {
  message: 'Give at least one of name, role or active',
});
export type UserPatchBody = z.infer<typeof UserPatchBody>;

/** A user after an admin's change; a deactivation also says what it did. */
export const UserChanged = User.extend({
  /** Deactivation: how many open conversations assigned to them are now unassigned. */
  unassigned: z.number().int().optional(),
  /** Deactivation: published workflows whose Assign step names them (it fails until changed). */
  workflowsAssigning: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  /**
   * Deactivation: of `unassigned`, the Chatwoot conversations Chatwoot did not unassign (down, or
   * refused): they are unassigned here but still theirs in Chatwoot. Empty: none. `retrying`: Chatwoot
   * put it off (busy, down), and each sync of the account (CHATWOOT_SYNC_SECONDS, Sync now) tries
   * it again until Chatwoot takes it, the conversation is gone there, or it is no longer wanted (the
   * user reactivated, the conversation assigned again); false or absent (refused): unassign it there.
   * `url`: where its Chatwoot dashboard opens it (the options page links it).
   */
  chatwootUnassignFailed: z.array(z.object({
    conversationId: z.string(), chatwootConversationId: z.string().nullable(), reason: z.string(), retrying: z.boolean().optional(),
    url: z.string().optional(),
  })).optional(),
});
export type UserChanged = z.infer<typeof UserChanged>;

/** A new API token for a user (every earlier token of theirs, inbox sessions included, is revoked): shown once. */
export const UserTokenIssued = UserCreated;
export const UserList = z.object({ users: z.array(User) });

/**
 * `GET /teammates`: every user as any signed-in user may see them, to name who a conversation is
 * assigned to and who wrote a reply (Chatwoot and respond.io show agents their teammates). No
 * token or shortcut settings: those stay with `GET /users` (supervisors and admins), and so does
 * the email, but for those who may read that: it tells two teammates of one name apart in the
 * inbox's Assign-to menu, theirs alone. Deactivated users are listed (`active: false`): what
 * they did keeps their name.
 */
export const Teammate = User.pick({ id: true, name: true, role: true, kind: true }).extend({
  active: z.boolean(),
  email: User.shape.email.optional().describe('Only to supervisors and admins'),
});
export type Teammate = z.infer<typeof Teammate>;
export const TeammateList = z.object({ users: z.array(Teammate) });
export type TeammateList = z.infer<typeof TeammateList>;

export const Permissions = z.object({
  launchShortcuts: z.boolean(),
  configure: z.boolean(),
  superviseAgents: z.boolean(),
});
export const Me = z.object({ user: User, permissions: Permissions });
export type Me = z.infer<typeof Me>;

export const Restrictions = z.object({ agentsCanUseShortcuts: z.boolean() });
export type Restrictions = z.infer<typeof Restrictions>;
export const RestrictionsPatch = Restrictions;
export const UserRestrictionsPatch = z.object({ shortcutsEnabled: z.boolean() });
