import type { Conversation } from '../../lib/contracts/conversations';
import type { Principal } from '../auth/principal';
import { forbidden } from '../http-error';
import { isPostgres, type Executor } from '../store/database';
import { checkAssignee } from './conversation-assignment';

/** What an agent is told when they try anything else (POST /conversations/:id/assign). */
export const AGENT_ASSIGN_RULE = 'Agents may assign a conversation to themselves (Assign to me) or unassign one assigned to them; '
  + 'assigning it to someone else or unassigning a colleague\'s needs a supervisor or admin';

/**
 * Who may assign a conversation to whom, as the README's inbox has it: supervisors and admins get
 * the Assign-to menu (anyone active, or nobody); agents get "Assign to me" (also on a colleague's
 * conversation, after the inbox's "Assigned to Ava — take it?") and Unassign on their own. The
 * inbox showed only those, but the server took anything from an agent's token, so a colleague's
 * conversation could be handed to a third person or dropped through the API.
 *
 * Held on the server for every way in for a person: the inbox, an agent's own API token, a
 * Chatwoot-linked conversation (checked before Chatwoot is asked). An app key keeps its scope's
 * rule (conversations.write assigns anyone, as a Chatwoot integration's token does); workflows,
 * take overs and deactivations assign through the domain, not here.
 *
 * An unknown or deactivated user is said first (422, as for everyone): it says more than "not
 * yours to give".
 */
export async function refuseAgentAssignment(db: Executor, principal: Principal | null, conversation: Pick<Conversation, 'assigneeId'>, userId: string | null): Promise<void> {
  if (principal?.kind !== 'user' || principal.user.role !== 'agent') return;
  const me = principal.user.id;
  if (userId !== null && userId !== me) await checkAssignee(db, userId);
  if (!agentMayAssign(me, conversation.assigneeId, userId)) throw forbidden(AGENT_ASSIGN_RULE);
}

/**
 * The rule again inside the assignment's own transaction, on the assignee as it is there (the
 * row locked on PostgreSQL; SQLite's write transaction holds the file): checked only on a read
 * before it, an agent's "unassign mine" that a supervisor's reassignment overtook dropped the
 * colleague's assignment made meanwhile.
 */
export async function refuseAgentAssignmentIn(trx: Executor, principal: Principal | null, conversationId: string, userId: string | null): Promise<void> {
  if (principal?.kind !== 'user' || principal.user.role !== 'agent') return;
  const read = trx.selectFrom('conversations').select('assignee_id').where('id', '=', conversationId);
  const row = await (isPostgres(trx) ? read.forUpdate() : read).executeTakeFirst();
  if (row) await refuseAgentAssignment(trx, principal, { assigneeId: row.assignee_id }, userId);
}

/** `current`: who has it now; `to`: who the agent asks for (null: nobody). Unassigning what nobody has changes nothing, so it is let through. */
export function agentMayAssign(me: string, current: string | null, to: string | null): boolean {
  if (to === me) return true;
  return to === null && (current === me || current === null);
}
