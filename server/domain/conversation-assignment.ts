import type { Conversation } from '../../lib/contracts/conversations';
import type { UnitOfWork } from '../events/unit-of-work';
import type { Services } from '../services';
import { HttpError } from '../http-error';
import { runShaped } from '../store/compiled-sql';
import type { Executor } from '../store/database';
import type { Cause } from './contacts';
import { conversationIn, getConversation, publishChanged, remember } from './conversation-reads';
import { writeStepLine } from './activity';
import { assignedText, lineAuthor, type ChangedBy } from './change-lines';

// Who a conversation is assigned to: by an agent, a workflow's Assign step, or Chatwoot (checked
// here first). Only an active user of this account, as Chatwoot assigns only its agents.

/**
 * `by`: a workflow's Assign step, or a person assigning here (the inbox, the API): the thread says
 * so, as Chatwoot's "Assigned to Ava by Ben" (change-lines.ts); nothing when the conversation was
 * already theirs. Without it (Chatwoot's own assignment mirrored, a take over, a deactivation),
 * no line: another line says it, or Chatwoot does.
 */
export async function assignConversation(
  uow: UnitOfWork, services: Services, id: string, userId: string | null, cause: Cause, by?: ChangedBy,
): Promise<Conversation> {
  const current = conversationIn(uow, id) ?? await getConversation(uow.trx, id);
  const assignee = userId ? await assigneeIn(uow, userId) : null;
  if (userId) assertAssignable(userId, assignee);
  if (current.assigneeId === userId) return current;
  // In a run round, sent with the next statement (DEFERRED): nothing reads its result.
  await runShaped(uow.trx, 'conversationAssignee', [userId, id], () => uow.trx.updateTable('conversations').set({ assignee_id: userId }).where('id', '=', id), { deferred: !!uow.reads });
  remember(uow, current.contactId, id, { ...current, assigneeId: userId });
  if (by) {
    await writeStepLine(uow, {
      conversationId: id, contactId: current.contactId, author: lineAuthor(by),
      text: assignedText(by, assignee && userId ? { id: userId, name: assignee.name } : null),
    });
  }
  await services.events.record(uow, { type: 'conversation.assigned', payload: { contactId: current.contactId, conversationId: id, assigneeId: userId } }, cause);
  publishChanged(uow, services, current);
  return { ...current, assigneeId: userId };
}

function assertAssignable(userId: string, user: { name: string; active: boolean } | null) {
  if (!user) throw new HttpError(422, 'invalid_content', `No user ${userId} to assign to`, [{ path: 'body.userId', message: 'Unknown user' }]);
  // Chatwoot's way with an agent removed from the account: nothing is assigned to them any more.
  if (!user.active) {
    throw new HttpError(422, 'invalid_content', `${user.name} (${userId}) is deactivated and cannot be assigned; assign someone else, or reactivate them under Settings → Users`,
      [{ path: 'body.userId', message: 'Deactivated user' }]);
  }
}

/** What assignConversation checks of the user, before an assignment made elsewhere first (Chatwoot). */
export async function checkAssignee(db: Executor, userId: string) {
  const row = await db.selectFrom('users').select(['name', 'deactivated_at']).where('id', '=', userId).executeTakeFirst();
  assertAssignable(userId, row ? { name: row.name, active: !row.deactivated_at } : null);
}

/** The user to assign to (null: none such) and whether they are active; a run round asks once per user (its runs mostly assign to the same few agents). */
async function assigneeIn(uow: UnitOfWork, userId: string): Promise<{ name: string; active: boolean } | null> {
  const known = uow.reads?.users.get(userId);
  if (known !== undefined) return known;
  const row = await uow.trx.selectFrom('users').select(['name', 'deactivated_at']).where('id', '=', userId).executeTakeFirst();
  const user = row ? { name: row.name, active: !row.deactivated_at } : null;
  uow.reads?.users.set(userId, user);
  return user;
}
