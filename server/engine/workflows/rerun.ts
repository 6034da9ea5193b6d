import type { Run } from '../../../lib/contracts/runs';
import { RERUN_BATCH_MAX, type Rerun, type RerunFrom, type RerunRunsBody, type RerunRunsResult, type RerunWorkflow } from '../../../lib/contracts/run-rerun';
import type { User } from '../../../lib/contracts/users';
import { addActivity } from '../../domain/activity';
import { shortcutLabel, shortcutNamed } from '../../domain/shortcut-label';
import { inTransaction, type UnitOfWork } from '../../events/unit-of-work';
import { HttpError, notFound } from '../../http-error';
import { keyReused } from '../../idempotency/request-key';
import { newId, nowIso } from '../../ids';
import type { Services } from '../../services';
import { fromJson, toJson, type Executor } from '../../store/database';
import type { RunsTable, WorkflowsTable } from '../../store/schema';
import { retryingLockConflicts } from './cancel-runs';
import { launcherOf } from './launched-by';
import { historyRun } from './list-runs';
import { againFrom, asRanWorkflow, originalGone, ranVersion, rerunRow, resumeRefusal } from './rerun-from';
import { deletedWorkflowNames, inOpenConversation, refuseRerun, workflowStateRefusal } from './rerun-refusals';
import { resumableVersions, stoppedAt } from './rerun-resumable';
import { versionKey, versionsOf } from './rerun-saved';

// "Run again" (n8n's "Retry execution"): a failed run starts over as a NEW run of the workflow's
// published version now, for the same contact and conversation with the same trigger data (a
// shortcut's form values and launcher, a webhook's body). From the first step unless asked: each
// run's outside effects are recorded under its own id (step_effects), so it repeats what the
// failed one did before its failure (a note, a message). From the failed step (`failed_step`,
// rerun-from.ts) it does not, and is allowed only while the steps that may have run before the
// failed one are the same in the version published now (rerun-saved.ts): otherwise the later
// steps would run on variables other earlier steps left. With `workflow: original` (n8n's "Retry
// with original workflow") it runs the version the failed run ran instead, whatever was saved since:
// the executor runs any kept version (a run keeps the version it started with).
// A failed run is run again once (runs_rerun_of, 087): a second press, a retried request or two
// bulk calls at once insert nothing more; a rerun that fails too is the one to run again next.

/** A failed run's rerun in hand: the new run and how the caller asked for it (an Idempotency-Key repeat). */
export interface RerunAnswer { run: Run; duplicate: boolean }

/**
 * POST /runs/:id/rerun. `key`: the caller's Idempotency-Key, scoped to them and to this run; its
 * repeat answers the rerun it started (as POST /workflows/:id/start does) instead of a 409, and
 * its reuse for the other `from` or `workflow` is refused (409 idempotency_key_reused), as for another body.
 */
export async function rerunRun(services: Services, id: string, by: Pick<User, 'id' | 'name'>, key?: string, from: RerunFrom = 'start', version: RerunWorkflow = 'saved'): Promise<RerunAnswer> {
  // Keys sort with their run (`<run id>:…`), so retention and a contact's delete take them with it;
  // `~` is in no step id, so no step's effect key is ever one of these.
  const keyed = key ? `${id}:~rerun:usr:${by.id}:${key}` : undefined;
  return retryingLockConflicts(() => inTransaction(services.db, async (uow) => {
    const asked = { from, version };
    const earlier = await startedUnder(uow.trx, keyed, asked);
    if (earlier) return { run: await historyRun(uow.trx, earlier), duplicate: true };
    const failed = await uow.trx.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!failed) throw notFound(`Run ${id}`);
    // A twin under the same key may have committed since `earlier` was read (PostgreSQL reads
    // each statement anew): its rerun is the answer, not "already run again".
    const twin = await refusedOrTwin(uow.trx, keyed, asked, () => refuseRerunOf(uow.trx, failed));
    if (twin) return { run: await historyRun(uow.trx, twin), duplicate: true };
    const workflow = await publishedWorkflow(uow.trx, failed.workflow_id);
    const ran = from === 'failed_step' && failed.workflow_version !== workflow.version ? await ranVersion(uow.trx, failed) : undefined;
    // The original workflow: the version the run ran, when another is published now (else the two are one).
    const original = from === 'failed_step' && version === 'original' && failed.workflow_version !== workflow.version;
    if (original && !ran) throw new HttpError(409, 'version_gone', `Run ${id} cannot run again with the original workflow: ${originalGone(failed.workflow_version)}`);
    const refused = from === 'failed_step' && !original ? resumeRefusal(failed, workflow, ran) : null;
    if (refused) throw new HttpError(409, 'workflow_changed', `Run ${id} cannot run again from its failed step: ${refused}`);
    const contact = await uow.trx.selectFrom('contacts').select('id').where('id', '=', failed.contact_id).executeTakeFirst();
    if (!contact) throw new HttpError(409, 'contact_gone', `Run ${id} cannot run again: its contact ${failed.contact_id} no longer exists`);
    await refuseRerun(uow.trx, original ? asRanWorkflow(workflow.name, ran!) : workflow, failed, from === 'failed_step' ? failed.cursor : undefined);
    const [started] = await startReruns(uow, services, workflow, [failed], by, { express: true, from, original });
    if (!started) {
      // Another request ran it again between our read and our insert (it waited for that one's commit).
      const raced = await startedUnder(uow.trx, keyed, asked);
      if (raced) return { run: await historyRun(uow.trx, raced), duplicate: true };
      await refuseRerunOf(uow.trx, failed);
      throw new HttpError(409, 'already_rerun', `Run ${id} was already run again`);
    }
    if (keyed) await uow.trx.insertInto('step_effects').values({ key: keyed, result: toJson({ runId: started.runId, from, workflow: version }), created_at: nowIso() }).execute();
    return { run: await historyRun(uow.trx, started.runId), duplicate: false };
  }));
}

interface Asked { from: RerunFrom; version: RerunWorkflow }

/** The rerun a request under this key started, if one did; 409 if it asked for the other `from` or `workflow` (a key stored before them was from the start, as saved). */
async function startedUnder(db: Executor, keyed: string | undefined, asked: Asked): Promise<string | null> {
  if (!keyed) return null;
  const row = await db.selectFrom('step_effects').select('result').where('key', '=', keyed).executeTakeFirst();
  if (!row) return null;
  const first = fromJson<{ runId?: string; from?: RerunFrom; workflow?: RerunWorkflow }>(row.result, {});
  if ((first.from ?? 'start') !== asked.from || (first.workflow ?? 'saved') !== asked.version) throw keyReused();
  return first.runId ?? null;
}

/** Runs `check`; when it refuses, the rerun a request under the same key started meanwhile, if one did, else the refusal. */
async function refusedOrTwin(db: Executor, keyed: string | undefined, asked: Asked, check: () => Promise<void>): Promise<string | null> {
  try {
    await check();
    return null;
  } catch (err) {
    const twin = await startedUnder(db, keyed, asked);
    if (twin) return twin;
    throw err;
  }
}

/** 409 for a run that is not failed, or was run again already (naming that run). */
async function refuseRerunOf(db: Executor, run: RunsTable): Promise<void> {
  const again = await db.selectFrom('runs').select(['id', 'status']).where('rerun_of', '=', run.id).executeTakeFirst();
  if (again) throw new HttpError(409, 'already_rerun', `Run ${run.id} was already run again: run ${again.id} (${again.status}). Run that one again if it failed too`);
  if (run.status !== 'failed') {
    throw new HttpError(409, 'not_failed', `Run ${run.id} is ${run.status}; only a failed run can be run again`);
  }
}

/**
 * The workflow to run again, as it is published now: 404 for an id never seen, 409 for one
 * deleted since (its versions name it) or not published (a draft starts nothing, as its trigger
 * does not either).
 */
export async function publishedWorkflow(db: Executor, workflowId: string): Promise<WorkflowsTable> {
  const row = await db.selectFrom('workflows').selectAll().where('id', '=', workflowId).executeTakeFirst();
  if (!row) {
    const name = (await deletedWorkflowNames(db, [workflowId])).get(workflowId);
    if (name === undefined) throw notFound(`Workflow ${workflowId}`);
    throw workflowStateRefusal(name, null)!;
  }
  const refused = workflowStateRefusal(row.name, row.status);
  if (refused) throw refused;
  return row;
}

/**
 * POST /workflows/:id/runs/rerun: the workflow's failed runs not run again yet (started since
 * `since`), oldest first, up to `limit`, each run again as rerunRun does; `remaining` counts the
 * ones left for the next call. Runs whose contact is gone are neither run nor counted; a
 * shortcut's runs whose conversation is closed now are not run, and counted apart (rerun-refusals.ts).
 */
export async function rerunWorkflowRuns(services: Services, workflowId: string, by: Pick<User, 'id' | 'name'>, body: RerunRunsBody = {}): Promise<RerunRunsResult> {
  const limit = body.limit ?? RERUN_BATCH_MAX;
  const from = body.from ?? 'start';
  const original = from === 'failed_step' && body.workflow === 'original';
  return retryingLockConflicts(() => inTransaction(services.db, async (uow) => {
    const workflow = await publishedWorkflow(uow.trx, workflowId);
    // From the start every run meets every step: one deactivated assignee refuses them all. From
    // their failed steps, only the runs that would reach that Assign are left (resumableVersions).
    if (from !== 'failed_step') await refuseRerun(uow.trx, workflow);
    // Each failed run left is counted once: in `remaining`, or under the one reason it is left for.
    // A closed conversation first: such a run cannot run again at all, from the failed step or the
    // start, while `earlierVersion` tells it may run again from the start. From the failed step,
    // only the runs whose earlier steps the version published now keeps are taken (rerun-saved.ts);
    // the others are counted apart, so `remaining` runs out instead of naming runs no call will take.
    const open = notRunAgain(uow.trx, workflowId, body.since);
    const places = from === 'failed_step' ? await resumableVersions(uow.trx, workflow,
      await open.select(['runs.workflow_version', 'runs.cursor']).distinct().execute(), original) : null;
    const taken = places ? open.where(stoppedAt(places.allowed)) : open;
    const count = async (q: typeof open) => Number((await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst())?.n ?? 0);
    const failed = await taken.selectAll('runs').orderBy('runs.id').limit(limit).execute();
    const reruns = await startReruns(uow, services, workflow, failed, by, { express: false, from, original });
    const remaining = await count(taken);
    const closed = await count(notRunAgain(uow.trx, workflowId, body.since, false));
    const left = closed ? { closedConversation: closed } : {};
    if (!places) return { started: reruns.length, reruns, remaining, ...left };
    const earlierVersion = await count(open.where(stoppedAt(places.changed)));
    const stuck = places.assigneeDeactivated.length ? await count(open.where(stoppedAt(places.assigneeDeactivated))) : 0;
    return { started: reruns.length, reruns, remaining, earlierVersion, ...(stuck ? { assigneeDeactivated: stuck } : {}), ...left };
  }));
}

/** A workflow's failed runs with their contact still there and no rerun yet (runs_rerun_of: one probe each); `open: false`, those a closed conversation holds back. */
function notRunAgain(db: Executor, workflowId: string, since: string | undefined, open = true) {
  let q = db.selectFrom('runs').where(inOpenConversation(open))
    .where('runs.workflow_id', '=', workflowId).where('runs.status', '=', 'failed')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('runs as again').select('again.id').whereRef('again.rerun_of', '=', 'runs.id'))))
    .where((eb) => eb.exists(eb.selectFrom('contacts').select('contacts.id').whereRef('contacts.id', '=', 'runs.contact_id')));
  if (since) q = q.where('runs.created_at', '>=', new Date(since).toISOString());
  return q;
}

const CHUNK = 200;

/**
 * Queues one new run per failed run (from step 1, or from its failed step: rerunRow), in the
 * caller's transaction, and says so in each one's conversation ("Ann ran “Sync to CRM” again",
 * "… again from step 2"). A failed run another transaction ran again
 * meanwhile is skipped (the unique runs_rerun_of: on PostgreSQL the insert waits for that one to
 * commit, then inserts nothing). Returns the runs started, in the order given.
 */
async function startReruns(
  uow: UnitOfWork, services: Services, workflow: WorkflowsTable, failed: readonly RunsTable[], by: Pick<User, 'id' | 'name'>,
  { express, from, original }: { express: boolean; from: RerunFrom; original: boolean },
): Promise<Rerun[]> {
  const now = nowIso();
  const savedAt = from === 'failed_step' && !original && failed.some((f) => f.workflow_version !== workflow.version)
    ? (await versionsOf(uow.trx, [{ workflowId: workflow.id, version: workflow.version }])).get(versionKey(workflow.id, workflow.version))?.savedAt : undefined;
  const started: (Rerun & { failed: RunsTable })[] = [];
  for (let i = 0; i < failed.length; i += CHUNK) {
    const part = failed.slice(i, i + CHUNK);
    const rows = part.map((f) => rerunRow(f, original ? { id: workflow.id, version: f.workflow_version } : workflow, from, newId('run'), by.id, now));
    const inserted = await uow.trx.insertInto('runs').values(rows)
      .onConflict((oc) => oc.column('rerun_of').where('rerun_of', 'is not', null).doNothing())
      .returning(['id', 'rerun_of']).execute();
    const byFailed = new Map(inserted.map((r) => [r.rerun_of!, r.id]));
    for (const f of part) {
      const runId = byFailed.get(f.id);
      if (runId) started.push({ runId, rerunOf: f.id, failed: f });
    }
  }
  const lines = started.filter((s) => s.failed.conversation_id !== null).map((s) => ({
    conversationId: s.failed.conversation_id!, contactId: s.failed.contact_id, author: { type: 'user' as const, id: by.id },
    text: `${by.name} ran ${namedAsLaunched(workflow, s.failed.event_type)} ${from !== 'failed_step' ? againFrom(null)
      : s.failed.workflow_version === workflow.version ? againFrom(s.failed.cursor)
        : original ? againFrom(s.failed.cursor, undefined, s.failed.workflow_version) : againFrom(s.failed.cursor, savedAt)}`,
  }));
  for (let i = 0; i < lines.length; i += CHUNK) await addActivity(uow, services, lines.slice(i, i + CHUNK));
  if (started.length > 0) {
    uow.afterCommit(() => {
      services.runSignal.notify();
      // One press, one person waiting on its outcome: the express lane, as a launch takes.
      if (express) services.runSignal.express(started.map((s) => s.runId));
      for (const s of started) {
        services.live.publish({ type: 'run.updated', runId: s.runId, workflowId: workflow.id, status: 'queued', launchedBy: launcherOf(s.failed.variables) });
      }
    });
  }
  return started.map(({ runId, rerunOf }) => ({ runId, rerunOf }));
}

/** A shortcut's run by the label its menu shows now (as its launch line named it), else the workflow: `“Sync to CRM”`. */
function namedAsLaunched(workflow: WorkflowsTable, eventType: string): string {
  const label = shortcutLabel(eventType, workflow.definition);
  return label === null ? `“${workflow.name}”` : shortcutNamed(label, workflow.name);
}
