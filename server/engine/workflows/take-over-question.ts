import { inTransaction } from '../../events/unit-of-work';
import { awaitingAnswerOn } from '../../domain/question-replies';
import type { Services } from '../../services';
import { cancelRunIn } from './cancel-run';
import { cancelRunsIn, retryingLockConflicts } from './cancel-runs';

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
export async function takeOverQuestion(services: Services, conversationId: string, by: { name: string }, runId?: string) {
  const reason = `Stopped by ${by.name}, who took over the conversation`;
  const taken = await retryingLockConflicts(() => inTransaction(services.db, async (uow) => {
    let open = await awaitingAnswerOn(uow.trx, conversationId);
    if (open && services.store.dialect === 'postgres') {
      // The wait before its run, as a customer's answer takes them (cancel-runs.ts), and read
      // again once held: an answer that came first went to the workflow, nothing waits any more.
      await uow.trx.selectFrom('question_waits').select('run_id').where('run_id', '=', open.runId).forUpdate().execute();
      open = await awaitingAnswerOn(uow.trx, conversationId);
    }
    if (!open || (runId && open.runId !== runId)) return { stoppedRunId: null, cancelledRunIds: [] };
    const { contact_id: contactId } = await uow.trx.selectFrom('runs').select('contact_id').where('id', '=', open.runId).executeTakeFirstOrThrow();
    const stopped = await cancelRunIn(uow, services, open.runId, reason);
    const cancelledRunIds = await cancelRunsIn(uow, services, { workflowId: open.workflowId, contactId, after: open.runId }, reason);
    return { stoppedRunId: stopped ? open.runId : null, cancelledRunIds };
  }));
  return { ...taken, awaitingAnswer: await awaitingAnswerOn(services.db, conversationId) };
}
