import { openStored } from '../secrets/at-rest';
import { isForgotten } from '../secrets/forgotten';
import { AppManifest, authValuesSchema, type App, type AuthValues } from '../../lib/contracts/apps';
import type { WorkflowDefinition } from '../../lib/contracts/workflow';
import { appTriggerItems, itemGap, triggerReferences } from '../../lib/workflow/app-trigger-items';
import type { TemplateReference } from '../../lib/workflow/template';
import { miniAppKey } from '../engine/dispatch/trigger-keys';
import { parseDefinition } from '../engine/workflows/records';
import { inTransaction } from '../events/unit-of-work';
import { HttpError, notFound, unprocessable } from '../http-error';
import { fromJson, toJson, type Executor } from '../store/database';
import type { Services } from '../services';
import { narrowInstallationKeys } from './api-key-store';
import { giveUpUnsubscribes } from './outbox';
import { getApp } from './store';

// Changing, removing and re-keying a registered app (admin). What a published workflow relies
// on (a trigger and the items it reads, an action and its inputs) cannot disappear under it: the
// admin is told which workflows to change first (409), as when unpublishing a workflow that others
// start.

/** How one workflow uses an app: its trigger key (if it listens to one) and its action steps. */
export interface AppUse {
  id: string;
  name: string;
  status: string;
  triggerKey: string | undefined;
  /** The `{{$trigger.*}}` its steps read, when it listens to one of the app's triggers: the trigger's items. */
  triggerRefs: Pick<TemplateReference, 'name' | 'path'>[];
  actions: { actionKey: string; inputs: Record<string, string> }[];
}

/** Workflows (published only, or all) whose trigger or steps name this app. Admin-only and rare: a scan is fine. */
export async function workflowsUsingApp(db: Executor, appId: string, publishedOnly: boolean): Promise<AppUse[]> {
  let query = db.selectFrom('workflows').select(['id', 'name', 'status', 'definition']).orderBy('name').orderBy('id');
  if (publishedOnly) query = query.where('status', '=', 'published');
  const uses: AppUse[] = [];
  for (const row of await query.execute()) {
    const use = appUse(parseDefinition(row.definition), appId);
    if (use) uses.push({ id: row.id, name: row.name, status: row.status, ...use });
  }
  return uses;
}

function appUse(def: WorkflowDefinition, appId: string): Pick<AppUse, 'triggerKey' | 'triggerRefs' | 'actions'> | undefined {
  const triggerKey = def.trigger.type === 'mini_app' && def.trigger.appId === appId ? def.trigger.triggerKey : undefined;
  const triggerRefs = triggerKey === undefined ? [] : triggerReferences(def);
  const actions = def.steps.flatMap((step) => (step.type === 'mini_app_action' && step.config.appId === appId
    ? [{ actionKey: step.config.actionKey, inputs: step.config.inputs }] : []));
  return triggerKey !== undefined || actions.length > 0 ? { triggerKey, triggerRefs, actions } : undefined;
}

/**
 * Earlier versions of workflows that unfinished runs (queued, waiting, running) still follow
 * and that name this app: such a run reaches its action step on the version it started with,
 * even after the workflow was edited. Only workflows that ever named the app are looked at.
 */
export async function unfinishedVersionsUsingApp(db: Executor, appId: string): Promise<(AppUse & { version: number; runs: number })[]> {
  const versions = await db.selectFrom('workflow_versions').innerJoin('workflows', 'workflows.id', 'workflow_versions.workflow_id')
    .select(['workflow_versions.workflow_id as id', 'workflow_versions.version', 'workflow_versions.definition', 'workflows.name', 'workflows.status', 'workflows.version as current'])
    .execute();
  const candidates = versions.flatMap((v) => {
    if (v.version === v.current && v.status === 'published') return []; // checked as a published workflow
    const use = appUse(parseDefinition(v.definition), appId);
    return use ? [{ id: v.id, name: v.name, status: v.status, version: v.version, ...use }] : [];
  });
  if (candidates.length === 0) return [];
  const counts = await db.selectFrom('runs').select(['workflow_id', 'workflow_version', (eb) => eb.fn.countAll<number>().as('runs')])
    .where('workflow_id', 'in', [...new Set(candidates.map((c) => c.id))]).where('status', 'in', ['queued', 'waiting', 'running'])
    .groupBy(['workflow_id', 'workflow_version']).execute();
  return candidates.flatMap((c) => {
    const runs = Number(counts.find((r) => r.workflow_id === c.id && r.workflow_version === c.version)?.runs ?? 0);
    return runs > 0 ? [{ ...c, runs }] : [];
  });
}

/** What of `manifest` a workflow relies on but no longer finds there, in words; empty when it still fits. */
export function missingFor(use: AppUse, manifest: AppManifest): string[] {
  const missing: string[] = [];
  const items = use.triggerKey === undefined ? undefined : appTriggerItems(manifest, use.triggerKey);
  if (use.triggerKey !== undefined && !items) missing.push(`trigger "${use.triggerKey}"`);
  // A dropped item would no longer be accepted from the app (422), and the step would read nothing.
  for (const ref of use.triggerRefs) {
    const gap = items && itemGap(ref, items);
    if (gap === 'missing') missing.push(`item "${ref.path[0]}" of trigger "${use.triggerKey}"`);
    if (gap === 'no_parts') missing.push(`json item "${ref.path[0]}" of trigger "${use.triggerKey}" ({{${ref.name}}} reads inside it)`);
  }
  for (const step of use.actions) {
    const action = manifest.actions.find((a) => a.key === step.actionKey);
    if (!action) {
      missing.push(`action "${step.actionKey}"`);
      continue;
    }
    // The run would refuse these at the step (run-action.ts), so they count as broken now.
    const unknown = Object.keys(step.inputs).filter((k) => !action.inputs.some((i) => i.key === k));
    if (unknown.length) missing.push(`input ${quoted(unknown)} of action "${action.key}"`);
    const unfilled = action.inputs.filter((i) => i.required && (step.inputs[i.key] ?? '').trim() === '').map((i) => i.key);
    if (unfilled.length) missing.push(`a value for the required input ${quoted(unfilled)} of action "${action.key}"`);
  }
  return [...new Set(missing)];
}

/** What `next` takes away from a workflow that `current` still gave it. */
export function newlyMissing(use: AppUse, current: AppManifest, next: AppManifest): string[] {
  const before = new Set(missingFor(use, current));
  return missingFor(use, next).filter((m) => !before.has(m));
}

const quoted = (keys: string[]) => keys.map((k) => `"${k}"`).join(', ');
const those = (n: number) => (n === 1 ? 'that workflow' : 'those workflows');

async function appRow(db: Executor, appId: string) {
  const row = await db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
  if (!row) throw notFound(`App ${appId}`);
  return row;
}

/**
 * Replaces an app's manifest. The key stays (workflows and the app's own server know the app by
 * it). Refused with 409, changing nothing, when a published workflow uses something the new
 * manifest drops, or when the installation's auth values no longer fit its auth inputs. While
 * installed, scopes removed are removed from the app's keys at once, scopes added are not granted
 * until the admin regenerates the key with them, and auth values of inputs that are gone are dropped.
 */
export async function updateApp(services: Services, appId: string, manifest: AppManifest): Promise<App> {
  const { db } = services;
  await inTransaction(db, async ({ trx }) => {
    const row = await appRow(trx, appId);
    if (manifest.key !== row.key) {
      throw unprocessable(`The key of an app cannot change (it is "${row.key}"); register an app with the key "${manifest.key}" instead`,
        [{ path: 'body.key', message: `Keep the key "${row.key}"` }]);
    }
    const current = AppManifest.parse(fromJson(row.manifest, {}));
    // Only what this change breaks: a step already missing a required input is not the new manifest's doing.
    const broken = (await workflowsUsingApp(trx, appId, true))
      .map((use) => ({ use, missing: newlyMissing(use, current, manifest) })).filter((b) => b.missing.length > 0);
    if (broken.length) {
      const list = broken.map((b) => `"${b.use.name}" (${b.missing.join(', ')})`).join('; ');
      throw new HttpError(409, 'app_in_use',
        `Cannot change "${current.name}": published workflows use what the new manifest drops: ${list}. Change or unpublish ${those(broken.length)} first.`);
    }
    // A trigger has fired already for these runs: only their action steps can still break.
    const pending = (await unfinishedVersionsUsingApp(trx, appId))
      .map((use) => ({ use, missing: newlyMissing({ ...use, triggerKey: undefined }, current, manifest) })).filter((b) => b.missing.length > 0);
    if (pending.length) {
      const list = pending.map((b) => `"${b.use.name}" version ${b.use.version} (${b.use.runs} ${b.use.runs === 1 ? 'run' : 'runs'}; ${b.missing.join(', ')})`).join('; ');
      throw new HttpError(409, 'app_in_use',
        `Cannot change "${current.name}": unfinished runs follow earlier workflow versions that use what the new manifest drops: ${list}. Let them finish or cancel them first.`);
    }

    const installation = await trx.selectFrom('installations').selectAll().where('app_id', '=', appId).executeTakeFirst();
    // Values forgotten with a lost key stay forgotten (reinstalling enters them): nothing to keep or check.
    if (installation && !isForgotten(installation.auth_values)) {
      // The live key keeps what the admin granted and the app's server was told of: scopes the
      // update adds are granted by the admin regenerating the key with them (api-key.ts, `apply`),
      // which hands the wider key to the app's server. Until then `scopesToGrant` lists them.
      const kept = Object.fromEntries(Object.entries(fromJson<AuthValues>(openStored(services.vault, installation.auth_values), {}))
        .filter(([k]) => manifest.authInputs.some((i) => i.key === k)));
      const checked = authValuesSchema(manifest.authInputs).safeParse(kept);
      if (!checked.success) {
        throw new HttpError(409, 'reinstall_needed',
          `The installed "${current.name}" has no valid value for the new auth inputs (${checked.error.issues.map((i) => i.message).join('; ')}); uninstall it, update it, then install it again`);
      }
      await trx.updateTable('installations').set({ auth_values: services.vault.seal(toJson(kept)) }).where('id', '=', installation.id).execute();
    }
    if (installation) await narrowInstallationKeys(trx, installation.id, manifest.scopes);

    await trx.updateTable('apps').set({ manifest: toJson(manifest) }).where('id', '=', appId).execute();
    // No published workflow listens on a dropped trigger (checked above); the index must agree.
    const dropped = current.triggers.filter((t) => !manifest.triggers.some((n) => n.key === t.key)).map((t) => miniAppKey(appId, t.key));
    if (dropped.length) await trx.deleteFrom('trigger_index').where('trigger_type', '=', 'mini_app').where('trigger_key', 'in', dropped).execute();
  });
  return getApp(db, appId);
}

/**
 * Removes a registered app: only once it is uninstalled and no workflow (published or draft)
 * names it, so nothing is left pointing at an app that is gone. An unsubscribe request still
 * being retried is given up: without the app there is no secret to sign it with.
 */
export async function deleteApp(services: Services, appId: string): Promise<void> {
  await inTransaction(services.db, async ({ trx }) => {
    const row = await appRow(trx, appId);
    const name = AppManifest.parse(fromJson(row.manifest, {})).name;
    if (await trx.selectFrom('installations').select('id').where('app_id', '=', appId).executeTakeFirst()) {
      throw new HttpError(409, 'app_installed', `Cannot delete "${name}" while it is installed; uninstall it first`);
    }
    const uses = await workflowsUsingApp(trx, appId, false);
    if (uses.length) {
      throw new HttpError(409, 'app_in_use',
        `Cannot delete "${name}": it is used by ${uses.map((u) => `"${u.name}" (${u.status})`).join(', ')}. Remove it from ${those(uses.length)} or delete ${uses.length === 1 ? 'it' : 'them'} first.`);
    }
    await giveUpUnsubscribes(trx, appId, 'the app was deleted');
    await trx.deleteFrom('apps').where('id', '=', appId).execute();
  });
}
