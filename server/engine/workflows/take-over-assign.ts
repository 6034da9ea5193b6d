import type { TakeOverResult } from '../../../lib/contracts/conversations';
import type { ActivityLine } from '../../domain/activity';
import { assignedText } from '../../domain/change-lines';
import { assignConversation, getConversation } from '../../domain/conversations';
import type { UnitOfWork } from '../../events/unit-of-work';
import { HttpError } from '../../http-error';
import type { Services } from '../../services';
import type { Executor } from '../../store/database';

// The agent who takes over gets the conversation (Chatwoot's bot handoff, respond.io's "assign
// to the agent who stops the workflow"): an unassigned conversation is assigned to them, one
// assigned to a colleague stays theirs (taking it away is an Assign, not a side effect of a
// click on a workflow's notice), and the answer and the thread say which.

export type TakeOverAssignment = NonNullable<TakeOverResult['assignment']>;

/**
 * The assignment made in the inbox the conversation lives in (Chatwoot), through the inbox's
 * connector call (routes/conversations/via-connection.ts); throws an HttpError saying why not.
 */
export type AssignElsewhere = (userId: string) => Promise<void>;

const decided = (assigneeId: string, by: { id: string }): TakeOverAssignment =>
  (assigneeId === by.id ? { outcome: 'yours', assigneeId } : { outcome: 'kept', assigneeId });

/**
 * In the caller's transaction, after the contact, the question's wait and run (the order a
 * customer's answer takes them in): PostgreSQL holds the conversation while deciding, so of two
 * agents taking over at once the second is told it is the first's. Undefined: a closed conversation is left alone.
 */
export async function assignHere(uow: UnitOfWork, services: Services, conversationId: string, by: { id: string }): Promise<TakeOverAssignment | undefined> {
  let read = uow.trx.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conversationId);
  // NO KEY UPDATE: a message stored meanwhile (its foreign key takes KEY SHARE) is not held up.
  if (services.store.dialect === 'postgres') read = read.forNoKeyUpdate();
  const row = await read.executeTakeFirst();
  if (!row || row.status !== 'open') return undefined;
  if (row.assignee_id) return decided(row.assignee_id, by);
  await assignConversation(uow, services, conversationId, by.id, { source: 'user', by: by.id });
  return { outcome: 'assigned', assigneeId: by.id };
}

/**
 * A conversation in Chatwoot is assigned there before the take over (a slow outside call, kept
 * out of the transaction; Chatwoot's echo and the connector's mirror keep it here). Chatwoot not
 * taking it (no agent with the user's email, down) does not stop the take over: `failed` says why.
 */
export async function assignElsewhereFirst(services: Services, conversationId: string, by: { id: string }, elsewhere: AssignElsewhere): Promise<TakeOverAssignment | undefined> {
  const conversation = await getConversation(services.db, conversationId);
  if (conversation.status !== 'open') return undefined;
  if (conversation.assigneeId) return decided(conversation.assigneeId, by);
  try {
    await elsewhere(by.id);
    return { outcome: 'assigned', assigneeId: by.id };
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { outcome: 'failed', assigneeId: null, message: err.message };
  }
}

/** Who a conversation kept on a take over is assigned to, by name (the line names them). */
export async function keptByName(db: Executor, assignment: TakeOverAssignment | undefined): Promise<string | null> {
  if (assignment?.outcome !== 'kept' || !assignment.assigneeId) return null;
  return (await db.selectFrom('users').select('name').where('id', '=', assignment.assigneeId).executeTakeFirst())?.name ?? null;
}

/**
 * The thread's line for a take over: "Ben took over: workflow “Ask order” stopped; the
 * conversation is assigned to Ben". `stoppedRun`: the run stopped, as runNamed names it (a
 * shortcut's by its label); null when none was. Nothing stopped (answered, timed out, a colleague
 * first): only an assignment happened, and the line is an Assign's ("Ben self-assigned this
 * conversation"), not a take over that was not; null when nothing changed.
 */
export function takeOverLine(
  by: { id: string; name: string }, stoppedRun: string | null, queued: number, assignment: TakeOverAssignment | undefined, keptBy?: string | null,
): Pick<ActivityLine, 'text' | 'author'> | null {
  if (stoppedRun === null) {
    return assignment?.outcome === 'assigned' ? { text: assignedText({ type: 'user', ...by }, by), author: { type: 'user', id: by.id } } : null;
  }
  const assigned = assignment?.outcome === 'assigned' ? `the conversation is assigned to ${by.name}`
    : assignment?.outcome === 'failed' ? `it could not be assigned to ${by.name} (${assignment.message ?? 'refused'})`
      : null;
  const stopped = `${stoppedRun} stopped${queued ? ` with ${queued} more run${queued === 1 ? '' : 's'} of it queued behind` : ''}`;
  const kept = assignment?.outcome === 'kept' ? `it stays assigned to ${keptBy ?? 'its assignee'}` : null;
  return { text: `${by.name} took over: ${stopped}${[assigned, kept].filter(Boolean).map((s) => `; ${s}`).join('')}`, author: { type: 'user', id: by.id } };
}
