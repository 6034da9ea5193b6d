import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor } from '../../store/database';
import type { DB, WorkflowsTable } from '../../store/schema';
import { deactivatedUsers } from '../shortcuts/list';
import { asRanWorkflow, resumeRefusal } from './rerun-from';
import { rerunRefusal } from './rerun-refusals';
import { versionKey, versionsOf } from './rerun-saved';

// The bulk "Run all failed again from their failed steps": whether a failed run may go on from its
// failed step depends only on the version it ran and where it failed (rerun-saved.ts, and the
// Assign steps it can reach from there: rerun-refusals.ts), so the workflow's failures are sorted
// by those pairs, a handful, rather than one by one, and each pair's runs are taken or counted
// apart. One workflow run that cannot go on no longer stops the others.

/** Where failed runs stopped: the version they ran and their cursor. */
export interface StopPlace { workflow_version: number; cursor: number }

export interface Resumable {
  /** Their runs go on from their failed step with the version published now. */
  allowed: StopPlace[];
  /** A step that may have run before the failed one was changed since: from the start only. */
  changed: StopPlace[];
  /** A step they would reach from their failed step assigns to a deactivated user. */
  assigneeDeactivated: StopPlace[];
}

/**
 * Sorts the places failed runs stopped at by whether they may run again from there (reads the
 * versions they ran: one read). `original`: each with the version it ran (n8n's "Retry with
 * original workflow"), so no change since refuses it, and the Assign steps it would reach are its
 * version's; only a version not kept lands in `changed`.
 */
export async function resumableVersions(db: Executor, workflow: WorkflowsTable, places: readonly StopPlace[], original = false): Promise<Resumable> {
  const versions = await versionsOf(db, places.filter((p) => p.workflow_version !== workflow.version).map((p) => ({ workflowId: workflow.id, version: p.workflow_version })));
  const deactivated = places.length ? await deactivatedUsers(db) : new Map<string, string>();
  const sorted: Resumable = { allowed: [], changed: [], assigneeDeactivated: [] };
  for (const p of places) {
    const ran = versions.get(versionKey(workflow.id, p.workflow_version));
    const own = original && p.workflow_version !== workflow.version;
    const runs = own ? (ran ? asRanWorkflow(workflow.name, ran) : null) : workflow;
    if (runs === null || (!own && resumeRefusal(p, workflow, ran) !== null)) sorted.changed.push(p);
    else if (rerunRefusal(runs, deactivated, undefined, undefined, p.cursor)) sorted.assigneeDeactivated.push(p);
    else sorted.allowed.push(p);
  }
  return sorted;
}

// A place as one number, so any number of places is one IN list (a chain of OR per place would pass
// SQLite's expression depth of 1,000 for a workflow saved and failing that often). bigint: PostgreSQL's
// integer would overflow past version 2,147. A cursor stays under MAX_STEPS (lib/contracts/workflow.ts), far below it.
const PLACE = 1_000_000;
const placeKey = (p: StopPlace) => p.workflow_version * PLACE + p.cursor;

/** Runs stopped at one of `places` (none when it is empty). */
export function stoppedAt(places: readonly StopPlace[]) {
  return (eb: ExpressionBuilder<DB, 'runs'>) => (places.length === 0 ? eb.or([])
    : eb(sql<number>`cast(runs.workflow_version as bigint) * ${sql.lit(PLACE)} + runs.cursor`, 'in', places.map(placeKey)));
}
