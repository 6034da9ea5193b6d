import { z } from 'zod';
import { Email, Id, Timestamp } from './common';

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  role: Role,
  shortcutsEnabled: z.boolean(),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const UserCreateBody = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'A name has at most 100 characters'),
  email: Email,
  role: Role,
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
