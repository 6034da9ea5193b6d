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
});
export type User = z.infer<typeof User>;

export const UserCreateBody = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'A name has at most 100 characters'),
  email: Email,
  role: Role,
  kind: UserKind.default('human'),
});
export const UserCreated = z.object({ user: User, token: z.string() });
export const UserList = z.object({ users: z.array(User) });

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
