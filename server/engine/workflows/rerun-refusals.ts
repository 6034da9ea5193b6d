import type { ExpressionBuilder } from 'kysely';
import { deactivatedAssignees, deactivatedAssigneesText, type StepLike } from '../../../lib/workflow/deactivated-assignees';
import { stepSuccessors } from '../../../lib/workflow/step-variables';
import { HttpError } from '../../http-error';
import { fromJson, type Executor } from '../../store/database';
import type { DB, RunsTable, WorkflowsTable } from '../../store/schema';
import { deactivatedUsers } from '../shortcuts/list';

// Run again is refused where a launch would be (shortcuts/launch.ts), before anything starts:
// otherwise the rerun does its first steps again (a note, a message to the customer) and then
// fails where the launch was refused up front.

const SHORTCUT_RUN = 'shortcut.launched';

/**
 * 409 `assignee_deactivated` when the published version assigns to a deactivated user (the
 * launch's rule and words: its Assign step would fail on every run, after the steps before it);
 * with `failed`, 409 `conversation_closed` for a shortcut's run whose conversation is not open
 * now (a shortcut runs in an open conversation; other triggers' runs run again as before).
 * `fromCursor`: the rerun starts at that step (from the failed step), so only the Assign steps it
 * can reach count.
 */
export async function refuseRerun(db: Executor, workflow: Pick<WorkflowsTable, 'name' | 'definition'>, failed?: Pick<RunsTable, 'id' | 'event_type' | 'conversation_id'>, fromCursor?: number): Promise<void> {
  const conversation = failed?.event_type !== SHORTCUT_RUN || failed.conversation_id === null ? undefined
    : await db.selectFrom('conversations').select('status').where('id', '=', failed.conversation_id).executeTakeFirst();
  const refused = rerunRefusal(workflow, await deactivatedUsers(db), failed, conversation?.status, fromCursor);
  if (refused) throw refused;
}

/**
 * refuseRerun's answer from what it reads (`deactivated`: deactivatedUsers; `conversationStatus`:
 * the failed run's conversation's, if it has one), null when it refuses nothing: the run history
 * says it beside each failed run from one read per page (rerun-from.ts withFailedSteps), so it
 * offers no Run again the server then refuses. `fromCursor`: as refuseRerun's.
 */
export function rerunRefusal(workflow: Pick<WorkflowsTable, 'name' | 'definition'>, deactivated: Map<string, string>, failed?: Pick<RunsTable, 'id' | 'event_type'>, conversationStatus?: string, fromCursor?: number): HttpError | null {
  // Read loosely, as the options page flags it: an unparsable step names nobody, so refuses nothing.
  const steps = fromJson<{ steps?: StepLike[] }>(workflow.definition, {}).steps;
  const all = Array.isArray(steps) ? steps : [];
  const stuck = deactivatedAssignees(fromCursor === undefined ? all : reachableFrom(all, fromCursor), deactivated);
  if (stuck.length) {
    return new HttpError(409, 'assignee_deactivated', `“${workflow.name}” cannot run again: ${deactivatedAssigneesText(stuck)}; an admin must choose someone else in its workflow`);
  }
  if (failed?.event_type !== SHORTCUT_RUN || conversationStatus === 'open') return null;
  return new HttpError(409, 'conversation_closed', `Run ${failed.id} cannot run again: shortcuts run in an open conversation, and its conversation is closed now: launch the shortcut again in the contact's open conversation`);
}

/**
 * The steps a run starting at `cursor` may reach, jumps back included: a rerun from the failed
 * step does not do the steps before it again (an Assign to someone deactivated since was done
 * then), unless a jump leads back to them.
 */
function reachableFrom(steps: readonly StepLike[], cursor: number): StepLike[] {
  const shapes = steps.map((s) => ({ id: typeof s?.id === 'string' ? s.id : '', type: typeof s?.type === 'string' ? s.type : '', config: s?.config }));
  const seen = new Set<number>();
  const todo = cursor >= 0 && cursor < shapes.length ? [cursor] : [];
  for (let i = todo.pop(); i !== undefined; i = todo.pop()) {
    if (seen.has(i)) continue;
    seen.add(i);
    todo.push(...stepSuccessors(shapes, i));
  }
  return steps.filter((_, i) => seen.has(i));
}

/**
 * 409 for a workflow deleted since (`status` null; `name` from its last version) or not published
 * (a draft starts nothing, as its trigger does not either), null when it is published. The one
 * wording of POST /runs/:id/rerun's refusal (rerun.ts publishedWorkflow) and the history's
 * `rerunRefused` (rerun-from.ts withFailedSteps): they had drifted into two near-copies.
 */
export function workflowStateRefusal(name: string, status: string | null): HttpError | null {
  if (status === null) return new HttpError(409, 'workflow_deleted', `Workflow “${name}” was deleted: its runs cannot run again`);
  if (status === 'published') return null;
  return new HttpError(409, 'workflow_not_published', `Workflow “${name}” is not published: publish it to run its runs again (a run again follows the published version)`);
}

/**
 * Deleted workflows' names, by id, as their last version has them (the id when it has none):
 * a deleted workflow keeps its versions, and its runs are named by it. An id with no version
 * (never seen) is absent. One read, whatever the number of ids.
 */
export async function deletedWorkflowNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('workflow_versions as v').select(['v.workflow_id', 'v.definition']).where('v.workflow_id', 'in', [...ids])
    .where('v.version', '=', (eb) => eb.selectFrom('workflow_versions as last').select((l) => l.fn.max('last.version').as('version')).whereRef('last.workflow_id', '=', 'v.workflow_id'))
    .execute();
  return new Map(rows.map((r) => [r.workflow_id, fromJson<{ name?: string }>(r.definition, {}).name ?? r.workflow_id]));
}

/** The trigger of a shortcut's runs (their event type). */
export const isShortcutRun = (eventType: string) => eventType === SHORTCUT_RUN;

/**
 * For the bulk form: whether a failed run's conversation lets it run again (true but for a
 * shortcut's run whose conversation is not open). Those are left out as runs whose contact is
 * gone are, and counted apart (`closedConversation`): one closed thread does not stop the others.
 */
export function inOpenConversation(open: boolean) {
  return (eb: ExpressionBuilder<DB, 'runs'>) => {
    const isOpen = eb.exists(eb.selectFrom('conversations').select('conversations.id')
      .whereRef('conversations.id', '=', 'runs.conversation_id').where('conversations.status', '=', 'open'));
    const shortcut = eb('runs.event_type', '=', SHORTCUT_RUN);
    return open ? eb.or([eb.not(shortcut), isOpen]) : eb.and([shortcut, eb.not(isOpen)]);
  };
}
