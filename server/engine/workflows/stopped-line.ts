import { addActivity, capitalized, inSentence, type ActivityLine } from '../../domain/activity';
import { runNamed, shortcutLabel } from '../../domain/shortcut-label';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Services } from '../../services';
import { launcherOf } from './launched-by';

/** A cancelled run as it was just before the cancel (the runs row's columns). */
export interface StoppedRun {
  id: string; contact_id: string; conversation_id: string | null; status: string; attempts: number;
  variables: string | Record<string, unknown>;
  /** What started it and on which version: a shortcut's run is named by the label it had then. */
  event_type: string; workflow_version: number;
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
 * cancelled: one run, a workflow's runs, the workflow deleted; a shortcut's run by its label, as
 * its launch line named it ("Shortcut “Ask the order” (workflow “Order number v2”) stopped: …").
 * `author`: who stopped them, else the workflow. The workflow's name is read once, and the labels
 * once per version launched from, only when a line is due (it must still exist: a delete cancels
 * first). A cancel only: a run's round never comes here.
 */
export async function writeStoppedLines(
  uow: UnitOfWork, services: Services, runs: readonly StoppedRun[], workflowId: string, error: string, author?: ActivityLine['author'],
): Promise<void> {
  const seen = runs.filter(seenInThread);
  if (seen.length === 0) return;
  const name = (await uow.trx.selectFrom('workflows').select('name').where('id', '=', workflowId).executeTakeFirst())?.name ?? null;
  const labels = await labelsOf(uow, workflowId, seen);
  const labelOf = (r: StoppedRun) => (r.event_type === 'shortcut.launched' ? labels.get(r.workflow_version) ?? null : null);
  const text = (r: StoppedRun) => `${capitalized(runNamed(name, labelOf(r)))} stopped: ${inSentence(error)}`;
  for (let i = 0; i < seen.length; i += CHUNK) {
    await addActivity(uow, services, seen.slice(i, i + CHUNK).map((r) => ({
      conversationId: r.conversation_id!, contactId: r.contact_id, runId: r.id, text: text(r),
      author: author ?? { type: 'workflow', id: workflowId, name },
    })));
  }
}

/** The shortcut labels of the versions the runs were launched from (none read when no run was launched). */
async function labelsOf(uow: UnitOfWork, workflowId: string, runs: readonly StoppedRun[]): Promise<Map<number, string>> {
  const versions = [...new Set(runs.filter((r) => r.event_type === 'shortcut.launched').map((r) => r.workflow_version))];
  const labels = new Map<number, string>();
  if (versions.length === 0) return labels;
  const rows = await uow.trx.selectFrom('workflow_versions').select(['version', 'definition'])
    .where('workflow_id', '=', workflowId).where('version', 'in', versions).execute();
  for (const row of rows) {
    const label = shortcutLabel('shortcut.launched', row.definition);
    if (label !== null) labels.set(row.version, label);
  }
  return labels;
}
