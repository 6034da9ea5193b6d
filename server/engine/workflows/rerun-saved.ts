import { Step } from '../../../lib/contracts/steps';
import { stepSuccessors, type StepShape } from '../../../lib/workflow/step-variables';
import { fromJson, type Executor } from '../../store/database';

// Run again from the failed step with the workflow as saved now (n8n's "Retry with currently saved
// workflow"): the admin fixes the step that failed, saves, and runs the failure again from there.
// The rerun carries the failed run's variables, so it is safe only while every step that may have
// run before the failure is the same in the saved version (same place, id, type and settings):
// its outputs and effects are then exactly what the saved version's would have been. That is
// every step before the failed one, and every step after it that can lead back to it through a
// jump or a branch (a loop: the failed run may have run it before failing). The failed step itself
// and the steps that only follow it may change: that is the fix. The trigger is not compared: a
// rerun from the start carries the failed run's trigger data too.

/** A stored definition's steps, read loosely (a version that does not parse has none). */
export const stepsOf = (definition: string): unknown[] => {
  const steps = fromJson<{ steps?: unknown }>(definition, {}).steps;
  return Array.isArray(steps) ? steps : [];
};

const shape = (s: unknown): StepShape => {
  const o = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>;
  return { id: typeof o.id === 'string' ? o.id : '', type: typeof o.type === 'string' ? o.type : '', config: o.config };
};

/** JSON with its keys sorted: two saves of the same step compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The steps of `steps` that may run before step `cursor`: all before it, and those after it that lead back to it. */
function mayRunBefore(steps: readonly StepShape[], cursor: number): number[] {
  const fromFirst = reach(steps.length ? [0] : [], (i) => stepSuccessors(steps, i));
  const preds = steps.map(() => [] as number[]);
  steps.forEach((_, i) => { for (const j of stepSuccessors(steps, i)) preds[j]!.push(i); });
  const toFailed = reach(cursor < steps.length ? [cursor] : [], (i) => preds[i]!);
  return steps.flatMap((_, i) => (i < cursor || (i > cursor && fromFirst.has(i) && toFailed.has(i)) ? [i] : []));
}

function reach(start: number[], next: (i: number) => number[]): Set<number> {
  const seen = new Set<number>();
  for (let i = start.pop(); i !== undefined; i = start.pop()) {
    if (seen.has(i)) continue;
    seen.add(i);
    start.push(...next(i));
  }
  return seen;
}

/**
 * A step as the engine runs it: parsed with its schema, defaults filled (raw when it does not
 * parse). A version saved by an older release lacks the settings added since with their defaults
 * (an HTTP step's timeout, say): compared raw, every such step read as "edited" after any save.
 */
const asRun = (step: unknown): unknown => {
  const parsed = Step.safeParse(step);
  return parsed.success ? parsed.data : step;
};

const MAX_NAMED = 3;

/**
 * What changed, between the version a failed run ran (`ran`) and the one saved now (`saved`), in
 * the steps that may have run before its failed step `cursor` (0-based), or in where that step is;
 * in the admin's words ("step 1 (“shipped”) was edited"). Empty: it may run again from there with
 * the saved version.
 */
export function changedBeforeFailedStep(ran: readonly unknown[], saved: readonly unknown[], cursor: number): string[] {
  const r = ran.map(shape);
  const s = saved.map(shape);
  const failedId = r[cursor]?.id ?? '';
  const changes: string[] = [];
  const kept = new Set<string>();
  for (const i of mayRunBefore(r, cursor)) {
    const { id } = r[i]!;
    kept.add(id);
    const j = s.findIndex((x) => x.id === id);
    const after = i > cursor ? ', which can lead back to the failed step' : '';
    if (j < 0) changes.push(`step ${i + 1} (“${id}”${after}) was removed`);
    else if (j !== i) changes.push(`step ${i + 1} (“${id}”${after}) is step ${j + 1} now`);
    else if (canonical(asRun(saved[j])) !== canonical(asRun(ran[i]))) changes.push(`step ${i + 1} (“${id}”${after}) was edited`);
  }
  s.slice(0, cursor).forEach((x, k) => {
    if (!kept.has(x.id) && x.id !== failedId) changes.push(`step ${k + 1} (“${x.id}”) was added before the failed step`);
  });
  if ((s[cursor]?.id ?? '') !== failedId) {
    const k = s.findIndex((x) => x.id === failedId);
    changes.push(k < 0 ? `the failed step (“${failedId}”) was removed` : `the failed step (“${failedId}”) is step ${k + 1} now, not step ${cursor + 1}`);
  }
  if (changes.length <= MAX_NAMED) return changes;
  return [...changes.slice(0, MAX_NAMED), `${changes.length - MAX_NAMED} more ${changes.length - MAX_NAMED === 1 ? 'change' : 'changes'}`];
}

export interface SavedVersion { steps: unknown[]; savedAt: string }

/** Per query: well under SQLite's expression depth (1,000) and the 999 parameters of its older builds. */
const WORKFLOWS_PER_READ = 200;
const PARAMS_PER_READ = 900;

/**
 * Versions of workflows by `<workflow id>@<version>`: their steps and when they were saved. One
 * read per 200 workflows (fewer when saved often); a version never changes once written.
 */
export async function versionsOf(db: Executor, wanted: readonly { workflowId: string; version: number }[]): Promise<Map<string, SavedVersion>> {
  const byWorkflow = new Map<string, Set<number>>();
  for (const w of wanted) byWorkflow.set(w.workflowId, (byWorkflow.get(w.workflowId) ?? new Set()).add(w.version));
  if (byWorkflow.size === 0) return new Map();
  // One term per workflow, its versions in a list: a chain of OR per version would pass SQLite's
  // expression depth (1,000) for a workflow saved that often; and a chunk of workflows per query,
  // for the same depth with ~1,000 workflows ("Expression tree is too large").
  const chunks: [string, Set<number>][][] = [[]];
  let params = 0;
  for (const entry of byWorkflow) {
    if (chunks.at(-1)!.length >= WORKFLOWS_PER_READ || (params > 0 && params + entry[1].size + 1 > PARAMS_PER_READ)) { chunks.push([]); params = 0; }
    chunks.at(-1)!.push(entry);
    params += entry[1].size + 1;
  }
  const rows = [];
  for (const chunk of chunks) {
    rows.push(...await db.selectFrom('workflow_versions').select(['workflow_id', 'version', 'definition', 'created_at'])
      .where((eb) => eb.or(chunk.map(([id, versions]) => eb.and([eb('workflow_id', '=', id), eb('version', 'in', [...versions])]))))
      .execute());
  }
  return new Map(rows.map((v) => [versionKey(v.workflow_id, v.version), { steps: stepsOf(v.definition), savedAt: new Date(v.created_at).toISOString() }]));
}

export const versionKey = (workflowId: string, version: number) => `${workflowId}@${version}`;
