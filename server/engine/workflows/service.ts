import type { UnpublishResult, Workflow, WorkflowCreateBody, WorkflowDefinition, WorkflowStatus } from '../../../lib/contracts/workflow';
import { inTransaction, type UnitOfWork } from '../../events/unit-of-work';
import { HttpError, notFound, type ErrorDetail } from '../../http-error';
import { newId, nowIso, randomSecret } from '../../ids';
import type { Services } from '../../services';
import { toJson, type Executor } from '../../store/database';
import type { WorkflowsTable } from '../../store/schema';
import { writeTriggerIndex } from '../dispatch/trigger-index';
import { shortcutsVersion } from '../shortcuts/version';
import { cancelRunsIn, retryingLockConflicts } from './cancel-runs';
import { refuseNotLive, type ReplaceAs } from './import-replace';
import { publishProblems } from './publish-checks';
import { openStored, webhookTokenColumns } from '../../secrets/at-rest';
import { parseDefinition, splitSigningSecret, storableDefinition, toWorkflow } from './records';

// The workflow lifecycle. Every change, in one transaction: the row, its version history, the
// trigger index (rows only while published), then `definitions.changed` once committed.
// A published workflow stays published through an edit, so the edit is validated as a publish.

export async function getWorkflowRow(db: Executor, id: string): Promise<WorkflowsTable> {
  const row = await db.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Workflow ${id}`);
  return row;
}

export async function getWorkflow(services: Services, id: string): Promise<Workflow> {
  return toWorkflow(await getWorkflowRow(services.db, id), services.config.publicUrl, (t) => openStored(services.vault, t));
}

export async function createWorkflow(services: Services, body: WorkflowCreateBody): Promise<Workflow> {
  const { status, ...input } = body;
  const def = storableDefinition(input);
  const id = newId('wf');
  return change(services, async (uow) => {
    if (status === 'published') await assertPublishable(uow.trx, id, def, 'body');
    return insertWorkflow(uow, services, id, status, def);
  });
}

/**
 * Drafts made together, all or none, with ids the caller chose beforehand (an import, whose
 * workflows may start each other: each definition already names the others' new ids). One that
 * `replaces` is the existing workflow of its id given this definition (replaceDefinition): a
 * published one stays published unless `replaceAs` is `draft`, checked as a publish once every
 * row is written (a sub-workflow replaced with it is then as it will be). 422 by place otherwise.
 */
export async function createDrafts(services: Services, drafts: { id: string; definition: WorkflowDefinition; replaces?: boolean }[], replaceAs: ReplaceAs = 'same-status'): Promise<{ workflow: Workflow; unpublished?: boolean }[]> {
  const replacing = new Set(drafts.flatMap((d) => (d.replaces ? [d.id] : [])));
  const rows = await inTransaction(services.db, async (uow) => {
    const made: { row: WorkflowsTable; unpublished?: boolean }[] = [];
    for (const d of drafts) {
      const def = storableDefinition(d.definition);
      made.push(d.replaces ? await replaceDefinition(uow, services, d.id, def, replacing, replaceAs) : { row: await insertWorkflow(uow, services, d.id, 'draft', def) });
    }
    const failures = [];
    for (const [place, { row }] of made.entries()) {
      if (!drafts[place]!.replaces || row.status !== 'published') continue;
      const problems = await publishProblems(uow.trx, row.id, storableDefinition(drafts[place]!.definition));
      if (problems.length) failures.push({ place, name: row.name, problems, steps: drafts[place]!.definition.steps });
    }
    if (failures.length) refuseNotLive(failures);
    const version = await shortcutsVersion(uow.trx);
    uow.afterCommit(() => services.live.publish({ type: 'definitions.changed', version }));
    return made;
  });
  return rows.map(({ row, unpublished }) => ({ workflow: toWorkflow(row, services.config.publicUrl, (t) => openStored(services.vault, t)), ...(unpublished !== undefined ? { unpublished } : {}) }));
}

/**
 * A workflow's definition replaced by an imported one, as a new version of the same workflow: its
 * id (what other workflows and apps start it by), webhook URL, signing secret (unless the
 * definition brings one) and runs stay, and runs already started keep their version, as after an
 * edit. A published one stays published (checked by the caller), unless `replaceAs` is `draft`:
 * then nothing starts it until the admin publishes it (`unpublished`).
 */
async function replaceDefinition(uow: UnitOfWork, services: Services, id: string, def: WorkflowDefinition, replacing: ReadonlySet<string>, replaceAs: ReplaceAs) {
  const current = await uow.trx.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirst();
  if (!current) throw new HttpError(409, 'conflict', `The workflow ${id} to replace was deleted meanwhile: nothing was imported; import the file again`);
  const live = current.status === 'published' && replaceAs !== 'draft';
  // Staying published, a sub-workflow is still started by its callers, unless its trigger changes.
  if (!live) await assertNotCalled(uow.trx, current, 'replace', replacing);
  else if (def.trigger.type !== 'manual') await assertNotCalled(uow.trx, current, 'retrigger', replacing);
  const webhook = def.trigger.type === 'incoming_webhook';
  const token = !webhook ? { webhook_token: null, webhook_token_hash: null }
    : current.webhook_token ? { webhook_token: current.webhook_token, webhook_token_hash: current.webhook_token_hash ?? null }
      : webhookTokenColumns(services.vault, randomSecret());
  const stored = splitSigningSecret(def);
  const secret = { webhook_signing_secret: stored.secret ? services.vault.seal(stored.secret) : webhook ? current.webhook_signing_secret ?? null : null };
  const row: WorkflowsTable = {
    ...current, name: def.name, status: live ? 'published' : 'draft', trigger_type: def.trigger.type, definition: toJson(stored.def), version: current.version + 1,
    ...token, ...secret, updated_at: nowIso(), published_at: live ? current.published_at : null,
  };
  const result = await uow.trx.updateTable('workflows')
    .set({ name: row.name, status: row.status, trigger_type: row.trigger_type, definition: row.definition, version: row.version, ...token, ...secret, updated_at: row.updated_at, published_at: row.published_at })
    .where('id', '=', id).where('version', '=', current.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new HttpError(409, 'conflict', `The workflow "${current.name}" was changed by someone else meanwhile: nothing was imported; import the file again`);
  await saveVersion(uow.trx, row);
  await writeTriggerIndex(uow.trx, id, live ? def.trigger : null);
  return { row, unpublished: current.status === 'published' && !live };
}

async function insertWorkflow(uow: UnitOfWork, services: Services, id: string, status: WorkflowStatus, def: WorkflowDefinition): Promise<WorkflowsTable> {
  const now = nowIso();
  const stored = splitSigningSecret(def);
  const row: WorkflowsTable = {
    id, name: def.name, status, trigger_type: def.trigger.type, definition: toJson(stored.def), version: 1,
    webhook_signing_secret: stored.secret ? services.vault.seal(stored.secret) : null,
    ...(def.trigger.type === 'incoming_webhook' ? webhookTokenColumns(services.vault, randomSecret()) : { webhook_token: null, webhook_token_hash: null }),
    created_at: now, updated_at: now, published_at: status === 'published' ? now : null,
  };
  await uow.trx.insertInto('workflows').values(row).execute();
  await saveVersion(uow.trx, row);
  await writeTriggerIndex(uow.trx, id, status === 'published' ? def.trigger : null);
  return row;
}

/** Stores the definition as a new version; runs already started keep theirs. */
export async function updateWorkflow(services: Services, id: string, input: WorkflowDefinition): Promise<Workflow> {
  const def = storableDefinition(input);
  return change(services, async (uow) => {
    const current = await getWorkflowRow(uow.trx, id);
    const published = current.status === 'published';
    // As a replace does: its callers' Trigger workflow steps would fail on any trigger but manual.
    if (published && def.trigger.type !== 'manual') await assertNotCalled(uow.trx, current, 'retype');
    if (published) await assertPublishable(uow.trx, id, def, 'body');
    const token = def.trigger.type !== 'incoming_webhook' ? { webhook_token: null, webhook_token_hash: null }
      : current.webhook_token ? { webhook_token: current.webhook_token, webhook_token_hash: current.webhook_token_hash ?? null }
        : webhookTokenColumns(services.vault, randomSecret());
    // A signing secret left out of the edit is kept (like the URL token): an edit that only renames
    // must not turn signature checks off. `signingSecret: null` removes it; another trigger type drops it.
    const stored = splitSigningSecret(def);
    const secret = {
      webhook_signing_secret: stored.secret === undefined ? current.webhook_signing_secret ?? null
        : stored.secret ? services.vault.seal(stored.secret) : null,
    };
    const row: WorkflowsTable = {
      ...current, name: def.name, trigger_type: def.trigger.type, definition: toJson(stored.def), version: current.version + 1,
      ...token, ...secret, updated_at: nowIso(),
    };
    const result = await uow.trx.updateTable('workflows')
      .set({ name: row.name, trigger_type: row.trigger_type, definition: row.definition, version: row.version, ...token, ...secret, updated_at: row.updated_at })
      .where('id', '=', id).where('version', '=', current.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new HttpError(409, 'conflict', 'The workflow was changed by someone else; reload it and try again');
    await saveVersion(uow.trx, row);
    await writeTriggerIndex(uow.trx, id, published ? def.trigger : null);
    return row;
  });
}

export async function publishWorkflow(services: Services, id: string): Promise<Workflow> {
  return change(services, async (uow) => {
    const current = await getWorkflowRow(uow.trx, id);
    const def = parseDefinition(current.definition);
    await assertPublishable(uow.trx, id, def);
    const row: WorkflowsTable = { ...current, status: 'published', published_at: current.status === 'published' ? current.published_at : nowIso() };
    await uow.trx.updateTable('workflows').set({ status: row.status, published_at: row.published_at }).where('id', '=', id).execute();
    await writeTriggerIndex(uow.trx, id, def.trigger);
    return row;
  });
}

/**
 * Nothing starts the workflow any more. Its unfinished runs go on (a Wait that ends, a question
 * answered), on the version they started with, unless `cancelRunsBy` names who cancels them too,
 * in the same transaction (as POST /workflows/:id/runs/cancel does).
 */
export async function unpublishWorkflow(services: Services, id: string, cancelRunsBy?: { name: string }): Promise<UnpublishResult> {
  let cancelled: string[] | undefined;
  const workflow = await retryingLockConflicts(() => change(services, async (uow) => {
    const current = await getWorkflowRow(uow.trx, id);
    await assertNotCalled(uow.trx, current, 'unpublish');
    const row: WorkflowsTable = { ...current, status: 'draft', published_at: null };
    await uow.trx.updateTable('workflows').set({ status: 'draft', published_at: null }).where('id', '=', id).execute();
    await writeTriggerIndex(uow.trx, id, null);
    cancelled = cancelRunsBy && await cancelRunsIn(uow, services, { workflowId: id }, `Cancelled by ${cancelRunsBy.name}, who unpublished the workflow`);
    return row;
  }));
  return cancelled ? { ...workflow, cancelledRuns: { cancelled: cancelled.length, runIds: cancelled } } : workflow;
}

/**
 * Deletes the workflow; its runs not yet started or waiting are cancelled. Its version history
 * stays, so a run in the middle of a step can still finish reading its definition.
 */
export async function deleteWorkflow(services: Services, id: string): Promise<void> {
  await retryingLockConflicts(() => change(services, async (uow) => {
    const current = await getWorkflowRow(uow.trx, id);
    await assertNotCalled(uow.trx, current, 'delete');
    await writeTriggerIndex(uow.trx, id, null);
    // As any cancel: their threads say they stopped (before the delete: the lines name the
    // workflow), question waits end, the inboxes hear of it.
    await cancelRunsIn(uow, services, { workflowId: id, statuses: ['queued', 'waiting'] }, 'The workflow was deleted');
    await uow.trx.deleteFrom('workflows').where('id', '=', id).execute();
    return current;
  }));
}

/**
 * A manual workflow that published workflows start with `trigger_workflow` must stay live: taking
 * it away would make their runs fail later, so the admin is told which ones to change first (409).
 * `alsoGoing`: workflows made drafts in the same transaction (an import replacing several).
 */
async function assertNotCalled(db: Executor, target: WorkflowsTable, action: keyof typeof ACTION_SAID, alsoGoing: ReadonlySet<string> = new Set()): Promise<void> {
  if (target.trigger_type !== 'manual' || target.status !== 'published') return;
  // Admin-only and rare: reading the published definitions is fine here (dispatch never does this).
  const callers = (await db.selectFrom('workflows').select(['id', 'name', 'definition'])
    .where('status', '=', 'published').where('id', '!=', target.id).execute())
    .filter((w) => !alsoGoing.has(w.id))
    .filter((w) => parseDefinition(w.definition).steps.some((step) => step.type === 'trigger_workflow' && step.config.workflowId === target.id));
  if (callers.length === 0) return;
  throw new HttpError(409, 'workflow_in_use',
    `Cannot ${ACTION_SAID[action]} "${target.name}": it is started by ${callers.map((c) => `"${c.name}"`).join(', ')}. Change or unpublish ${callers.length === 1 ? 'that workflow' : 'those workflows'} first.`);
}

const ACTION_SAID = {
  unpublish: 'unpublish', delete: 'delete', replace: 'replace as a draft',
  retrigger: 'replace with a version not started by another workflow (manual)',
  retype: 'change the trigger of',
} as const;

/** 422 listing every problem when the definition cannot go live. */
async function assertPublishable(db: Executor, id: string, def: WorkflowDefinition, prefix?: string): Promise<void> {
  const problems = await publishProblems(db, id, def);
  if (problems.length === 0) return;
  const details: ErrorDetail[] = problems.map((p) => ({ ...p, path: [prefix, p.path].filter(Boolean).join('.') }));
  const list = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  throw new HttpError(422, 'invalid_content', `The workflow cannot be published (${details.length} problem${details.length === 1 ? '' : 's'}): ${list}`, details);
}

async function saveVersion(db: Executor, row: WorkflowsTable): Promise<void> {
  await db.insertInto('workflow_versions')
    .values({ workflow_id: row.id, version: row.version, definition: row.definition, created_at: row.updated_at })
    .execute();
}

/** Runs a change in a transaction and announces it to live clients once committed. */
async function change(services: Services, fn: (uow: UnitOfWork) => Promise<WorkflowsTable>): Promise<Workflow> {
  return inTransaction(services.db, async (uow) => {
    const row = await fn(uow);
    const version = await shortcutsVersion(uow.trx);
    uow.afterCommit(() => services.live.publish({ type: 'definitions.changed', version }));
    return toWorkflow(row, services.config.publicUrl, (t) => openStored(services.vault, t));
  });
}
