import { inTransaction } from '../../events/unit-of-work';
import { awaitingAnswerOn } from '../../domain/question-replies';
import type { Services } from '../../services';
import { cancelRunIn } from './cancel-run';

/**
 * An agent takes over from a workflow's Ask a Question (Chatwoot's bot handoff): the run that
 * waits for this customer's answer is stopped, so their next message comes to the agent. With
 * `runId`, only that run: the agent saw the notice of that one, not of a question asked since.
 * Nothing waiting (answered, timed out, stopped by a colleague) is the state the agent wanted:
 * `stoppedRunId` null. A run in the middle of its step (the question being sent) stops as an
 * admin's cancel does: at its next checkpoint, the step rolled back (a question already sent
 * stays sent; its wait is gone, so the reply is the agent's).
 */
export async function takeOverQuestion(services: Services, conversationId: string, by: { name: string }, runId?: string) {
  const stoppedRunId = await inTransaction(services.db, async (uow) => {
    const open = await awaitingAnswerOn(uow.trx, conversationId);
    if (!open || (runId && open.runId !== runId)) return null;
    const stopped = await cancelRunIn(uow, services, open.runId, `Stopped by ${by.name}, who took over the conversation`);
    return stopped ? open.runId : null;
  });
  return { stoppedRunId, awaitingAnswer: await awaitingAnswerOn(services.db, conversationId) };
}
