import { addActivity, capitalized, inSentence, workflowNamed, type ActivityLine } from '../../domain/activity';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Services } from '../../services';
import { launcherOf } from './launched-by';

/** A cancelled run as it was just before the cancel (the runs row's columns). */
export interface StoppedRun {
  id: string; contact_id: string; conversation_id: string | null; status: string; attempts: number;
  variables: string | Record<string, unknown>;
}

const CHUNK = 500;

/**
 * Whether an agent may have seen the run in its conversation: it started, or someone launched it
 * (the thread says "Ava launched …"). A run queued by a trigger and never started did nothing
 * there, so its cancel says nothing there either.
 */
const seenInThread = (run: StoppedRun) =>
  run.conversation_id !== null && (run.status !== 'queued' || run.attempts > 0 || launcherOf(run.variables) !== null);

/**
 * "Workflow “X” stopped: cancelled by Ann" in the conversations of the cancelled runs an agent
 * may have seen, in place of each one's line (domain/activity.ts), by whichever way they were
 * cancelled: one run, a workflow's runs, the workflow deleted. `author`: who stopped them, else
 * the workflow. The workflow's name is read once, and only when a line is due (it must still
 * exist: a delete cancels first).
 */
export async function writeStoppedLines(
  uow: UnitOfWork, services: Services, runs: readonly StoppedRun[], workflowId: string, error: string, author?: ActivityLine['author'],
): Promise<void> {
  const seen = runs.filter(seenInThread);
  if (seen.length === 0) return;
  const name = (await uow.trx.selectFrom('workflows').select('name').where('id', '=', workflowId).executeTakeFirst())?.name ?? null;
  const text = `${capitalized(workflowNamed(name))} stopped: ${inSentence(error)}`;
  for (let i = 0; i < seen.length; i += CHUNK) {
    await addActivity(uow, services, seen.slice(i, i + CHUNK).map((r) => ({
      conversationId: r.conversation_id!, contactId: r.contact_id, runId: r.id, text, author: author ?? { type: 'workflow', id: workflowId, name },
    })));
  }
}
