import { z } from 'zod';
import { Id } from './common';

/**
 * The teams of the connected Chatwoot accounts (GET /api/v1/accounts/{id}/teams, teams/index.json.jbuilder
 * over models/_team.json.jbuilder: id, name, description, allow_auto_assign, account_id, is_member):
 * an Assign to step with pick `team` chooses among these.
 */
export const ChatwootTeamList = z.object({
  teams: z.array(z.object({ connectionId: Id, account: z.string(), id: z.number(), name: z.string() })),
  /** Accounts whose teams could not be read now, and why. */
  errors: z.array(z.object({ connectionId: Id, account: z.string(), message: z.string() })),
});
export type ChatwootTeamList = z.infer<typeof ChatwootTeamList>;
