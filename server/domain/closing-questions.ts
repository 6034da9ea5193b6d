import type { Conversation } from '../../lib/contracts/conversations';
import { cancelRunIn } from '../engine/workflows/cancel-run';
import { cancelRunsIn } from '../engine/workflows/cancel-runs';
import type { UnitOfWork } from '../events/unit-of-work';
import type { Services } from '../services';
import type { Executor } from '../store/database';
import { addActivity, capitalized, workflowNamed, type ActivityLine } from './activity';
import type { Cause } from './contacts';
import { conversationHoldingContact } from './conversation-lock-order';
import { runNamed, shortcutLabel } from './shortcut-label';
import { waitingCutoff } from './question-replies';

// A closed conversation ends the workflows waiting there for the customer's answer, as a take
// over does (respond.io's Workflows FAQ asks just this, "If I manually close an ongoing
// conversation with an enrolled Contact, will the Workflow end?",
// https://help.respond.io/l/en/workflows/workflows-overview; a handoff in Chatwoot ends with the
// conversation). Before, the wait outlived the conversation: the customer's next message opened a
// new conversation (closed-conversations.ts), which no question waits on, and at the timeout the
// run took its timed-out branch and went on in the new conversation as if the customer had never
// answered. Now each such run is cancelled, as a take over cancels it (its runs of the same
// workflow queued behind it too: they would ask again on the next conversation), its history
// saying "Stopped: the conversation was closed by Ava", and the thread saying the same. The
// same for every close: the inbox and the API, a workflow's Close Conversation step, Chatwoot's
// resolve, a merge. A question already answered (the answer stored, its run about to read it) is
// left to go on: the customer answered before the close.

/**
 * The waits the close ends: questions put to the customer and unanswered, of runs not ended yet.
 * A question a channel has not taken yet (unsent, to be tried again) is not waiting on the
 * customer, who has not seen it: its next try fails "Not asked: the conversation closed…". Nor
 * is one past its time limit (question-replies.ts, waitingCutoff): it has timed out, and its run
 * takes its timed-out exit as it would have had the engine got to it before the close.
 * Wider than what the views list (question-replies.ts, questionsWaitingOn: runs waiting or
 * running) by a `queued` run's wait. None occurs today (a wait is written while its run is
 * running, and no run goes back to queued), but a close that missed one would leave a question
 * waiting on a closed conversation, which no reply can reach, its run going on at the timeout as
 * if the customer had not answered. The wider set costs nothing when there is none.
 */
const waitingOn = (db: Executor, conversationId: string) => db.selectFrom('question_waits')
  .innerJoin('runs', 'runs.id', 'question_waits.run_id')
  .where('question_waits.conversation_id', '=', conversationId).where('question_waits.answer', 'is', null)
  .where('question_waits.unsent', '=', 0).where('runs.status', 'in', ['waiting', 'running', 'queued'])
  .where('question_waits.expires_at', '>', waitingCutoff());

/**
 * PostgreSQL outside a run round: the contact (as every writer of a conversation takes it first,
 * conversation-lock-order.ts), then the questions' waits, before the conversation is written: the
 * order a customer's answer takes them in (contact, wait, run, then the conversation at its
 * commit). The other way round, a close and an answer arriving together, or a close and a round
 * waking the run at its timeout, would deadlock. True when there are any (the close then ends
 * them). A run round holds the contact already, which every answer takes first.
 */
export async function holdQuestionsBeforeClose(db: Executor, conversationId: string): Promise<boolean> {
  await conversationHoldingContact(db, conversationId);
  const rows = await waitingOn(db, conversationId).select('question_waits.run_id').orderBy('question_waits.run_id')
    .forUpdate(['question_waits']).execute();
  return rows.length > 0;
}

/**
 * Ends the questions waiting on a conversation just closed (in the close's transaction); the runs
 * stopped. `said`: the close's own line (a person or a workflow closing here, closedText), which
 * each stopped question's line then starts with, so the category is kept and the wording is the
 * one a close without a question gets. Else (Chatwoot's resolve, a merge, an app) how it closed.
 */
export async function endQuestionsOnClose(
  uow: UnitOfWork, services: Services, conversation: Conversation, reason: string | null, cause: Cause,
  said?: { text: string; author: ActivityLine['author'] },
): Promise<string[]> {
  const waits = await waitingOn(uow.trx, conversation.id).innerJoin('workflows', 'workflows.id', 'runs.workflow_id')
    // A shortcut's run is named by its label (runNamed): its version's definition, read only for those.
    .leftJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'runs.workflow_id').onRef('v.version', '=', 'runs.workflow_version')
      .on('runs.event_type', '=', 'shortcut.launched'))
    .select(['question_waits.run_id as run_id', 'runs.workflow_id as workflow_id', 'runs.contact_id as contact_id', 'workflows.name as name', 'runs.event_type as event_type', 'v.definition as definition'])
    .orderBy('question_waits.run_id').execute();
  if (waits.length === 0) return [];
  const closer = await closedBy(uow.trx, conversation, reason, cause);
  const error = `Stopped: ${closer.how}`;
  const stopped: string[] = [];
  for (const w of waits) {
    if (!(await cancelRunIn(uow, services, w.run_id, error, null))) continue;
    stopped.push(w.run_id);
    const queued = await cancelRunsIn(uow, services, { workflowId: w.workflow_id, contactId: w.contact_id, after: w.run_id }, error, null);
    const more = queued.length ? ` (with ${queued.length} more run${queued.length === 1 ? '' : 's'} of it queued behind)` : '';
    await addActivity(uow, services, [{
      conversationId: conversation.id, contactId: conversation.contactId, runId: w.run_id,
      text: `${said?.text ?? capitalized(closer.how)}: ${runNamed(w.name, shortcutLabel(w.event_type, w.definition))} stopped waiting for the customer’s answer${more}`,
      author: said?.author ?? closer.author ?? { type: 'workflow', id: w.workflow_id, name: w.name },
    }]);
  }
  return stopped;
}

/** How the conversation was closed, in words ("the conversation was closed by Ava"), and by whom. */
async function closedBy(db: Executor, c: Conversation, reason: string | null, cause: Cause): Promise<{ how: string; author?: ActivityLine['author'] }> {
  switch (reason) {
    case 'merge': return { how: 'the conversation was closed when its contact was merged into another' };
    case 'superseded': return { how: 'the conversation was closed: Chatwoot opened another conversation for the contact' };
    case 'deleted_in_chatwoot': return { how: 'the conversation was deleted in Chatwoot' };
  }
  if (cause.by && cause.source === 'workflow') {
    const name = (await db.selectFrom('workflows').select('name').where('id', '=', cause.by).executeTakeFirst())?.name ?? null;
    return { how: `the conversation was closed by ${workflowNamed(name)}`, author: { type: 'workflow', id: cause.by, name } };
  }
  if (cause.by) {
    const name = (await db.selectFrom('users').select('name').where('id', '=', cause.by).executeTakeFirst())?.name;
    if (name) return { how: `the conversation was closed by ${name}`, author: { type: 'user', id: cause.by } };
  }
  if (c.connectionId && (await db.selectFrom('connections').select('kind').where('id', '=', c.connectionId).executeTakeFirst())?.kind === 'chatwoot') {
    return { how: 'the conversation was resolved in Chatwoot' };
  }
  return { how: cause.source === 'user' ? 'the conversation was closed' : 'the conversation was closed through the API' };
}
