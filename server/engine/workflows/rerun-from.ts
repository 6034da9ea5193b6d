import type { FailedStep, Run } from '../../../lib/contracts/runs';
import type { RerunFrom } from '../../../lib/contracts/run-rerun';
import { queuedRunRow } from '../dispatch/dispatcher';
import { fromJson, type Executor } from '../../store/database';
import type { RunsTable, WorkflowsTable } from '../../store/schema';
import { deactivatedUsers } from '../shortcuts/list';
import { deletedWorkflowNames, isShortcutRun, rerunRefusal, workflowStateRefusal } from './rerun-refusals';
import { changedBeforeFailedStep, stepsOf, versionKey, versionsOf, type SavedVersion } from './rerun-saved';

// "Run again from the failed step" (n8n's Retry execution, which resumes from the node that
// failed): the new run starts at the failed run's cursor with the variables it had there, so a
// message or note its earlier steps made is not made twice. To the engine it is an ordinary
// queued run whose cursor is not 0: it is claimed, executed, checkpointed, waits and asks as any
// other, and its steps' outside effects are keyed by its own id (the failed step runs anew).
// It runs the version published now: the one the failed run ran, or one saved since whose steps
// that may have run before the failed one are unchanged (rerun-saved.ts), as n8n's "Retry with
// currently saved workflow" lets an admin fix the failed node and go on from it.

type WorkflowNow = Pick<WorkflowsTable, 'name' | 'status' | 'version' | 'definition'>;

/**
 * Why the failed run may not run again from its failed step (null: it may), given its workflow as
 * it is now (null: deleted) and the version it ran (`ran`; undefined: not found). The POST's 409
 * and the history's `failedStep.refused` say the same.
 */
export function resumeRefusal(failed: Pick<RunsTable, 'workflow_version' | 'cursor'>, workflow: WorkflowNow | null, ran: SavedVersion | undefined): string | null {
  if (!workflow) return 'the workflow was deleted';
  if (workflow.status !== 'published') return `workflow “${workflow.name}” is not published`;
  if (workflow.version === failed.workflow_version) return null;
  const changes = ran ? changedBeforeFailedStep(ran.steps, stepsOf(workflow.definition), failed.cursor) : ['its earlier version is not kept'];
  if (changes.length === 0) return null;
  const instead = ran ? `Run it again from the start, or from the failed step with the original workflow (version ${failed.workflow_version})` : 'Run it again from the start';
  return `workflow “${workflow.name}” was changed before its failed step since it ran (it ran version ${failed.workflow_version}; version ${workflow.version} is published now): ${changes.join('; ')}. ${instead}`;
}

/** A version the run ran, shaped as the refusals read a workflow (rerunRefusal): the Assign steps it would reach are that version's. */
export const asRanWorkflow = (name: string, ran: SavedVersion) => ({ name, definition: JSON.stringify({ steps: ran.steps }) });

/** 409 for a run whose own version is gone (never, while versions are kept: the message says what to do if it happens). */
export const originalGone = (version: number) => `its version ${version} of the workflow is not kept, so it can run again only with the workflow as saved now`;

/** The version a failed run ran, as the POST and the history compare it (one read). */
export async function ranVersion(db: Executor, failed: Pick<RunsTable, 'workflow_id' | 'workflow_version'>): Promise<SavedVersion | undefined> {
  return (await versionsOf(db, [{ workflowId: failed.workflow_id, version: failed.workflow_version }])).get(versionKey(failed.workflow_id, failed.workflow_version));
}

/**
 * The new run's row: from step 1 with the failed run's trigger data, or from its failed step with
 * every variable it had (`$trigger`, the earlier steps' `$step` outputs) and its count of jumps
 * back (the loop guard goes on counting, or a loop stopped at its limit would go round ten more
 * times). Its log starts empty: the steps before were the failed run's, and its history says so.
 */
export function rerunRow(failed: RunsTable, workflow: Pick<WorkflowsTable, 'id' | 'version'>, from: RerunFrom, id: string, by: string, now: string): RunsTable {
  const row = queuedRunRow({
    id, workflow, contactId: failed.contact_id, conversationId: failed.conversation_id,
    event: { id: failed.event_id, type: failed.event_type, depth: failed.depth }, triggerVariables: triggerOf(failed.variables), now,
  });
  // Every row of one insert names the same columns (SQLite has no DEFAULT in a VALUES list).
  const linked = { ...row, launched_by: row.launched_by ?? null, rerun_of: failed.id, rerun_by: by };
  return from === 'failed_step'
    ? { ...linked, cursor: failed.cursor, variables: failed.variables, jumps: failed.jumps, rerun_from: failed.cursor }
    : { ...linked, rerun_from: null };
}

/** What the failed run was started with: its trigger's variables, as they were. */
const triggerOf = (variables: string) => fromJson<{ trigger?: Record<string, unknown> }>(variables, {}).trigger ?? {};

/**
 * The thread's line's end: "again" for a rerun from the start, "again from step 2" for one from the
 * failed step (`cursor`: where it starts), ", with the workflow as saved at <ISO time>" when it runs
 * a version saved since the failed run (the inbox shows the time in the agent's own), ", with the
 * workflow as it was when that run started (version 1)" when it runs the failed run's own version
 * while a later one is published (`originalVersion`).
 */
export const againFrom = (cursor: number | null, savedAt?: string, originalVersion?: number) => {
  if (cursor === null) return 'again';
  const how = savedAt ? `, with the workflow as saved at ${savedAt}`
    : originalVersion !== undefined ? `, with the workflow as it was when that run started (version ${originalVersion})` : '';
  return `again from step ${cursor + 1}${how}`;
};

/**
 * The history's `failedStep` and `rerunRefused` on each failed run of a page: where it stopped,
 * and whether a rerun may start there, or at all, by the rules POST /runs/:id/rerun refuses by
 * (resumeRefusal, rerunRefusal): the page offers no Run again that the server then refuses. One
 * read each of the page's failed runs' workflows (and deleted ones' last names, when there are any),
 * the versions they ran and the one saved now (only when some ran another version than the one
 * published now), the deactivated users, and its failed shortcut runs' conversations; none for a
 * page without a failed run.
 */
export async function withFailedSteps(db: Executor, runs: Run[]): Promise<Run[]> {
  const failed = runs.filter((r) => r.status === 'failed');
  const ids = [...new Set(failed.map((r) => r.workflowId))];
  if (ids.length === 0) return runs;
  const rows = await db.selectFrom('workflows').select(['id', 'name', 'status', 'version', 'definition']).where('id', 'in', ids).execute();
  // Deleted ones are named as the POST's 409 names them; a page of live workflows reads nothing more.
  const deletedNames = await deletedWorkflowNames(db, ids.filter((id) => !rows.some((w) => w.id === id)));
  const deactivated = await deactivatedUsers(db);
  const conversationIds = [...new Set(failed.flatMap((r) => (isShortcutRun(r.triggerEvent.type) && r.conversationId ? [r.conversationId] : [])))];
  const conversations = conversationIds.length ? await db.selectFrom('conversations').select(['id', 'status']).where('id', 'in', conversationIds).execute() : [];
  const now = new Map(rows.map((w) => [w.id, w]));
  const statusOf = new Map(conversations.map((c) => [c.id, c.status]));
  const saved = failed.flatMap((r) => {
    const w = now.get(r.workflowId);
    return w && w.version !== r.workflowVersion ? [{ workflowId: w.id, version: r.workflowVersion }, { workflowId: w.id, version: w.version }] : [];
  });
  const versions = await versionsOf(db, saved);
  return runs.map((run) => {
    if (run.status !== 'failed') return run;
    const workflow = now.get(run.workflowId) ?? null;
    // The POST asks publishedWorkflow first, from either step: its words win over resumeRefusal's too.
    const gone = workflowStateRefusal(workflow?.name ?? deletedNames.get(run.workflowId) ?? run.workflowId, workflow?.status ?? null)?.message ?? null;
    const status = run.conversationId ? statusOf.get(run.conversationId) : undefined;
    const refused = gone ?? (workflow ? startRefusal(run, workflow, deactivated, status) : null);
    const failedStep = failedStepOf(run, workflow, versions);
    // Unchanged since: refused from the failed step for what the steps from there on would meet
    // (not an Assign before it, done already), as the POST is.
    const fromStep = gone ?? failedStep.refused ?? (workflow ? startRefusal(run, workflow, deactivated, status, run.cursor) : null);
    // Saved since: the version the run ran is the other choice, refused for what it would meet from there.
    const ran = versions.get(versionKey(run.workflowId, run.workflowVersion));
    const original = workflow && workflow.version !== run.workflowVersion
      ? { originalRefused: gone ?? (ran ? startRefusal(run, asRanWorkflow(workflow.name, ran), deactivated, status, run.cursor) : originalGone(run.workflowVersion)) } : {};
    return { ...run, rerunRefused: refused, failedStep: { ...failedStep, refused: fromStep, ...original } };
  });
}

/** Why POST /runs/:id/rerun refuses a published workflow's run (refuseRerun), from step 1 or from `fromCursor`; null when it does not. */
function startRefusal(run: Run, workflow: Pick<WorkflowsTable, 'name' | 'definition'>, deactivated: Map<string, string>, conversationStatus: string | undefined, fromCursor?: number): string | null {
  return rerunRefusal(workflow, deactivated, { id: run.id, event_type: run.triggerEvent.type }, conversationStatus, fromCursor)?.message ?? null;
}

function failedStepOf(run: Run, workflow: (WorkflowNow & { id: string }) | null, versions: Map<string, SavedVersion>): FailedStep {
  const last = run.stepLog.at(-1);
  const stepId = last?.status === 'failed' && last.type !== 'trigger' ? last.stepId : undefined;
  const refused = resumeRefusal({ workflow_version: run.workflowVersion, cursor: run.cursor }, workflow, versions.get(versionKey(run.workflowId, run.workflowVersion)));
  // Allowed with a version saved since: the page says so on its button, with when it was saved.
  const savedAt = refused === null && workflow && workflow.version !== run.workflowVersion ? versions.get(versionKey(workflow.id, workflow.version))?.savedAt : undefined;
  return { step: run.cursor + 1, ...(stepId ? { stepId } : {}), refused, ...(savedAt ? { savedAt } : {}) };
}
