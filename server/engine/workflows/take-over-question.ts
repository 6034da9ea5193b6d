import { inTransaction } from '../../events/unit-of-work';
import { awaitingAnswerOn, awaitingAnswerState } from '../../domain/question-replies';
import type { Services } from '../../services';
import { cancelRunIn } from './cancel-run';
import { cancelRunsIn, retryingLockConflicts } from './cancel-runs';
import { addActivity } from '../../domain/activity';
import { getConversation } from '../../domain/conversations';
import { runNamed } from '../../domain/shortcut-label';
import { conversationHoldingContact } from '../../domain/conversation-lock-order';
import { assignElsewhereFirst, assignHere, keptByName, takeOverLine, type AssignElsewhere } from './take-over-assign';

/**
 * An agent takes over from a workflow's Ask a Question (Chatwoot's bot handoff): the run that
 * waits for this customer's answer is stopped, so their next message comes to the agent. With
 * `runId`, only that run: the agent saw the notice of that one, not of a question asked since.
 * Nothing waiting (answered, timed out, stopped by a colleague) is the state the agent wanted:
 * `stoppedRunId` null. A run in the middle of its step (the question being sent) stops as an
 * admin's cancel does: at its next checkpoint, the step rolled back (a question already sent
 * stays sent; its wait is gone, so the reply is the agent's).
 *
 * The runs of the same workflow for this contact queued behind it are cancelled with it
 * (`cancelledRunIds`): they run one after another, so the first would start the moment this one
 * stopped and ask again (an agent who launched a shortcut twice). They were started before the
 * agent took over; runs of other workflows are left alone, and one of them asking a question
 * later is a new decision, shown with its own notice. All in one transaction: the next run of
 * the pair is cancelled before anyone can start it, or a round that had already started it (the
 * one before had just ended) commits first and the run is then stopped as a running one is.
 */
export async function takeOverQuestion(services: Services, conversationId: string, by: { id: string; name: string }, runId?: string, elsewhere?: AssignElsewhere) {
  const reason = `Stopped by ${by.name}, who took over the conversation`;
  // In another inbox (Chatwoot) the assignment is made there first, outside the transaction.
  const assignedThere = elsewhere ? await assignElsewhereFirst(services, conversationId, by, elsewhere) : undefined;
  const taken = await retryingLockConflicts(() => inTransaction(services.db, async (uow) => {
    // PostgreSQL: the contact first, as every writer of a conversation takes it (conversation-lock-order.ts):
    // the assignment below writes the conversation and records an event of the contact's, while a
    // round holding the contact (the run the answer woke, the next one it starts) waits on the conversation.
    if (services.store.dialect === 'postgres') await conversationHoldingContact(uow.trx, conversationId);
    // With `runId`, that run's question even when another workflow has asked since (its notice
    // now shows the later one): the agent took over from the question they saw.
    let open = await awaitingAnswerOn(uow.trx, conversationId, runId);
    if (open && services.store.dialect === 'postgres') {
      // The wait before its run, as a customer's answer takes them (cancel-runs.ts), and read
      // again once held: an answer that came first went to the workflow, nothing waits any more.
      await uow.trx.selectFrom('question_waits').select('run_id').where('run_id', '=', open.runId).forUpdate().execute();
      open = await awaitingAnswerOn(uow.trx, conversationId, open.runId);
    }
    // Wait, run, then the conversation (its assignment): the order a customer's answer takes them in.
    const assign = () => (elsewhere ? Promise.resolve(assignedThere) : assignHere(uow, services, conversationId, by));
    if (!open) {
      // Nothing to stop (answered, timed out, a colleague was first): the conversation is still
      // the agent's to handle, and a new assignment is recorded as an Assign's line. None in
      // Chatwoot's conversations: Chatwoot writes its own for the assignment (change-lines.ts).
      const assignment = await assign();
      const line = elsewhere ? null : takeOverLine(by, null, 0, assignment);
      if (line) await addActivity(uow, services, [{ ...line, conversationId, contactId: (await getConversation(uow.trx, conversationId)).contactId }]);
      return { stoppedRunId: null, cancelledRunIds: [], assignment };
    }
    const { contact_id: contactId } = await uow.trx.selectFrom('runs').select('contact_id').where('id', '=', open.runId).executeTakeFirstOrThrow();
    // Lines of their own would each say the same: one line, in the stopped run's place, says it all.
    const stopped = await cancelRunIn(uow, services, open.runId, reason, null);
    const cancelledRunIds = await cancelRunsIn(uow, services, { workflowId: open.workflowId, contactId, after: open.runId }, reason, null);
    const assignment = await assign();
    const line = stopped ? takeOverLine(by, runNamed(open.workflowName, open.shortcutName), cancelledRunIds.length, assignment, await keptByName(uow.trx, assignment)) : null;
    if (line) await addActivity(uow, services, [{ ...line, conversationId, contactId, runId: open.runId }]);
    return { stoppedRunId: stopped ? open.runId : null, cancelledRunIds, assignment };
  }));
  // The others still waiting too: a notice listing each question keeps those not taken over.
  return { ...taken, ...(await awaitingAnswerState(services.db, conversationId)) };
}
