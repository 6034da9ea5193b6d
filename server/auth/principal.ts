import type { Role } from '../../lib/contracts/users';
import type { Scope } from '../../lib/contracts/scopes';
import type { User } from '../../lib/contracts/users';

export type Principal =
  /** `tokenId`: the token the request was signed with (the live stream re-checks it when the user changes). */
  | { kind: 'user'; user: User; tokenId?: string }
  | { kind: 'app'; appId: string; installationId: string; scopes: Scope[]; tokenId: string };

/**
 * What a route needs. `role` is the least role of a user that may call it; `scope` lets a
 * mini-app key call it too (a route without a scope refuses app keys). `public` skips auth.
 */
export interface Access {
  public?: boolean;
  role?: Role;
  scope?: Scope;
  /** Only app keys (e.g. firing an app's own trigger). */
  appOnly?: boolean;
  /** Users with `role`, and every app key whatever its scopes (GET /me: a key may always learn who it is and what it may do). */
  anyAppKey?: boolean;
  /**
   * The token may come as `?token=` (only where a browser cannot send a header: EventSource).
   * Everywhere else a query token is refused: URLs end up in logs, history and Referer headers.
   */
  queryToken?: boolean;
}

const RANK: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2 };
export const hasRole = (user: User, least: Role) => RANK[user.role] >= RANK[least];

export function permissionsOf(user: User, agentsCanUseShortcuts: boolean) {
  return {
    launchShortcuts: user.role !== 'agent' || (agentsCanUseShortcuts && user.shortcutsEnabled),
    configure: user.role === 'admin',
    superviseAgents: hasRole(user, 'supervisor'),
  };
}
