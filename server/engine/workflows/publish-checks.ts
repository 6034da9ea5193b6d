import type { Step } from '../../../lib/contracts/steps';
import { isWritableStandardField, OPEN_ON_BUILT_IN, OPEN_ON_LAST, UNASSIGN } from '../../../lib/contracts/steps';
import { isChannelKind } from '../../channels/connections';
import { WorkflowDefinition } from '../../../lib/contracts/workflow';
import { type ActionInputSpec, structuralProblems } from '../../../lib/workflow/validate-workflow';
import { appTriggerItems, type ManifestItems, type TriggerItem } from '../../../lib/workflow/app-trigger-items';
import { issuesToDetails, type ErrorDetail } from '../../http-error';
import type { Executor } from '../../store/database';
import { fromJson, isPostgres } from '../../store/database';
import { adTriggerProblems, listAds } from '../../webhooks/ads';
import { isStandardContactField } from '../../../lib/contracts/triggers';
import { getLifecycleStages } from '../../domain/contacts';
import { closeAccepts, isTemplated } from './uses';
import { listFields } from '../../domain/fields';
import { getDefaultCountry } from '../../domain/default-country';

type Path = (string | number)[];

/**
 * Workflows an import is about to write (new drafts, replaced ones as they will be), by id: its
 * dry run checks a step starting one of them as the import itself will, once they are written.
 */
export type PlannedWorkflows = ReadonlyMap<string, { status: string; trigger_type: string }>;
const detail = (path: Path, message: string): ErrorDetail => ({ path: path.join('.'), message });

/**
 * Everything that stops a definition from going live, each with the path of what to fix:
 * the contract, references inside the definition, and what must exist in this workspace.
 * `selfId` is the workflow being published (a manual workflow may call itself).
 */
export async function publishProblems(db: Executor, selfId: string | null, input: unknown, planned?: PlannedWorkflows): Promise<ErrorDetail[]> {
  const parsed = WorkflowDefinition.safeParse(input);
  if (!parsed.success) return issuesToDetails(parsed.error.issues);
  const def = parsed.data;
  const apps = new InstalledApps(db);
  // What the template and input checks need: the custom fields, the apps used (trigger items, actions).
  const fields = await listFields(db);
  if (def.trigger.type === 'mini_app') await apps.load(def.trigger.appId);
  for (const step of def.steps) if (step.type === 'mini_app_action') await apps.load(step.config.appId);
  // A phone number written without its country code is read in the workspace's default country, as runs read it.
  const defaultCountry = await getDefaultCountry(db);
  // Reply buttons' text is checked against the Meta channels that could send it (button-body.ts).
  const buttonChannels = (await db.selectFrom('connections').select('kind').distinct().where('kind', 'in', ['whatsapp', 'messenger']).execute())
    .map((c) => (c.kind === 'messenger' ? 'messenger' as const : 'whatsapp' as const));
  const problems = structuralProblems(def, {
    fieldKeys: fields.map((f) => f.key), fields, defaultCountry, buttonChannels,
    actionInputs: (appId, key) => apps.actionInputs(appId, key),
    actionOutputs: (appId, key) => apps.actionOutputs(appId, key),
    triggerItems: (appId, key) => apps.triggerItems(appId, key),
  }).map((p) => detail(p.path, p.message));
  problems.push(...await workspaceProblems(db, apps, selfId, def, planned));
  return problems;
}

async function workspaceProblems(db: Executor, apps: InstalledApps, selfId: string | null, def: WorkflowDefinition, planned?: PlannedWorkflows): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  const trigger = def.trigger;
  if (trigger.type === 'conversation_closed') {
    const categories = await closingCategories(db);
    (trigger.conditions?.rules ?? []).forEach((rule, index) => {
      if (rule.field !== 'category' || categories.includes(rule.value)) return;
      problems.push(detail(['trigger', 'conditions', 'rules', index, 'value'], categories.length === 0
        ? `There are no closing categories yet; add "${rule.value}" under Settings → Closing categories first`
        : `There is no closing category "${rule.value}"; use one of: ${categories.join(', ')}`));
    });
  }
  if (trigger.type === 'contact_field_updated' && !isStandardContactField(trigger.field) && !(await fieldExists(db, trigger.field))) {
    problems.push(detail(['trigger', 'field'], `There is no contact field "${trigger.field}"; define it first`));
  }
  if (trigger.type === 'click_to_chat_ads') {
    for (const p of await adTriggerProblems(db, trigger.adAccountId, trigger.adIds)) problems.push(detail(['trigger', 'adIds', p.index], p.message));
    problems.push(...await templatesOnMessenger(db, trigger.adIds, def.steps));
  }
  if (trigger.type === 'mini_app') {
    const problem = await apps.problem(trigger.appId, 'triggers', trigger.triggerKey);
    if (problem) problems.push(detail(['trigger', ...problem.path], problem.message));
  }
  for (const [index, step] of def.steps.entries()) {
    const message = await stepProblem(db, apps, selfId, def, step, index, planned);
    if (message) problems.push(detail(['steps', index, 'config', ...message.path], message.message));
  }
  return problems;
}

type Located = { path: Path; message: string };

/**
 * A Click-to-Chat workflow whose ads include Click-to-Messenger ones, with a step sending a WhatsApp
 * template: every Messenger lead's run would fail at that step (Messenger carries no WhatsApp
 * template), so it is refused here, naming the Messenger ads.
 */
async function templatesOnMessenger(db: Executor, adIds: string[], steps: Step[]): Promise<ErrorDetail[]> {
  const messenger = (await listAds(db)).filter((a) => adIds.includes(a.adId) && a.channel === 'messenger');
  if (messenger.length === 0) return [];
  const named = messenger.map((a) => `"${a.name}" (${a.adId})`).join(', ');
  return steps.flatMap((step, index) => (step.type === 'send_message' && step.config.kind === 'template'
    ? [detail(['steps', index, 'config', 'kind'], `Step ${index + 1} ("${step.id}") sends a WhatsApp template, which Messenger cannot carry, and this workflow also starts for the Click-to-Messenger ad${messenger.length > 1 ? 's' : ''} ${named}: send text, media or buttons instead, or put the WhatsApp and Messenger ads in separate workflows`)]
    : []));
}

async function stepProblem(db: Executor, apps: InstalledApps, selfId: string | null, def: WorkflowDefinition, step: Step, index: number, planned?: PlannedWorkflows): Promise<Located | undefined> {
  switch (step.type) {
    case 'trigger_workflow': {
      const target = step.config.workflowId;
      if (target === selfId) {
        return def.trigger.type === 'manual' ? undefined
          : { path: ['workflowId'], message: 'A workflow can only start itself if its trigger is "started by another workflow" (manual)' };
      }
      const row = planned?.get(target) ?? await db.selectFrom('workflows').select(['status', 'trigger_type']).where('id', '=', target).executeTakeFirst();
      if (!row) return { path: ['workflowId'], message: `There is no workflow ${target}` };
      if (row.trigger_type !== 'manual') return { path: ['workflowId'], message: 'The workflow to start must have the "started by another workflow" (manual) trigger' };
      if (row.status !== 'published') return { path: ['workflowId'], message: 'Publish the workflow to start first' };
      return undefined;
    }
    // A contact's own name, email or phone is always there to write (WRITABLE_STANDARD_FIELDS).
    case 'update_contact_field':
      return isWritableStandardField(step.config.field) || (await fieldExists(db, step.config.field)) ? undefined
        : { path: ['field'], message: `There is no contact field "${step.config.field}"; define it first` };
    case 'assign_to': {
      // One user (userId) or each of a list (userIds.<n>): all must exist and be active now.
      const pool = (step.config.pick ?? 'user') !== 'user';
      const ids = pool ? step.config.userIds ?? [] : step.config.userId === UNASSIGN ? [] : [step.config.userId ?? ''];
      for (const [j, id] of ids.entries()) {
        const path = pool ? ['userIds', j] : ['userId'];
        const user = await db.selectFrom('users').select(['name', 'deactivated_at']).where('id', '=', id).executeTakeFirst();
        if (!user) return { path, message: `There is no user ${id}` };
        if (user.deactivated_at) return { path, message: `${user.name} is deactivated and cannot be assigned; choose someone else` };
      }
      return undefined;
    }
    case 'mini_app_action':
      return apps.problem(step.config.appId, 'actions', step.config.actionKey);
    case 'update_lifecycle_stage': {
      const { stages } = await getLifecycleStages(db);
      return stages.includes(step.config.stage) ? undefined
        : { path: ['stage'], message: stages.length === 0 ? 'There are no lifecycle stages yet; define them under Settings first' : `There is no lifecycle stage "${step.config.stage}"; use one of: ${stages.join(', ')}` };
    }
    case 'close_conversation': {
      // What the close would refuse when the run gets there (a category written as a template is checked then).
      const category = step.config.category;
      if (category === undefined || isTemplated(category)) return undefined;
      const categories = await closingCategories(db);
      return closeAccepts(categories, category) ? undefined
        : { path: ['category'], message: `Step ${index + 1} ("${step.id}") closes with category "${category}", which does not exist; use one of: ${categories.join(', ')}` };
    }
    case 'open_conversation': {
      const channel = step.config.channel;
      if (!channel || channel === OPEN_ON_LAST || channel === OPEN_ON_BUILT_IN) return undefined;
      const row = await db.selectFrom('connections').select('kind').where('id', '=', channel).executeTakeFirst();
      return row && isChannelKind(row.kind) ? undefined
        : { path: ['channel'], message: `There is no connected WhatsApp number or Facebook Page ${channel}: choose one of the connected channels, the contact's last channel or the built-in inbox` };
    }
    case 'ask_question':
      return !step.config.saveToField || isWritableStandardField(step.config.saveToField) || (await fieldExists(db, step.config.saveToField)) ? undefined
        : { path: ['saveToField'], message: `There is no contact field "${step.config.saveToField}"; define it first` };
    default:
      return undefined;
  }
}

// PostgreSQL: read FOR SHARE, so a field being deleted or a category list being replaced (each
// holds its row locked until it commits) is waited for and read as it ends, and they in turn wait
// for this publish to commit before reading the published workflows that use them (409). The
// field list the template checks read (listFields) is not locked: losing that race leaves a
// `{{$contact.fields.…}}` that renders empty, not a step that fails.

async function fieldExists(db: Executor, key: string): Promise<boolean> {
  const q = db.selectFrom('field_definitions').select('key').where('key', '=', key);
  return !!(await (isPostgres(db) ? q.forShare() : q).executeTakeFirst());
}

async function closingCategories(db: Executor): Promise<string[]> {
  const q = db.selectFrom('settings').select('value').where('key', '=', 'closing_categories');
  return fromJson<string[]>((await (isPostgres(db) ? q.forShare() : q).executeTakeFirst())?.value, []);
}

type ManifestParts = { triggers: { key: string; items?: string[] }[]; fields: ManifestItems['fields']; actions: { key: string; inputs?: ActionInputSpec[]; outputs?: { variable: string }[] }[] };

/** Installed apps by id, read once per check: the keys of the manifest, its triggers' items, its actions' inputs. */
class InstalledApps {
  private cache = new Map<string, ManifestParts | null>();
  constructor(private db: Executor) {}

  async problem(appId: string, kind: 'triggers' | 'actions', key: string): Promise<Located | undefined> {
    const manifest = await this.load(appId);
    if (!manifest) return { path: ['appId'], message: await notInstalledMessage(this.db, appId) };
    if (!manifest[kind].some((k) => k.key === key)) {
      const what = kind === 'triggers' ? 'trigger' : 'action';
      return { path: [kind === 'triggers' ? 'triggerKey' : 'actionKey'], message: `The app has no ${what} "${key}"` };
    }
    return undefined;
  }

  /** The inputs of an action of an app already loaded; undefined when not installed or no such action. */
  actionInputs(appId: string, key: string): ActionInputSpec[] | undefined {
    const action = this.cache.get(appId)?.actions.find((a) => a.key === key);
    return action ? action.inputs ?? [] : undefined;
  }

  /** The `$step` variables an action of an app already loaded maps; undefined when not installed or no such action. */
  actionOutputs(appId: string, key: string): string[] | undefined {
    const action = this.cache.get(appId)?.actions.find((a) => a.key === key);
    return action ? (action.outputs ?? []).map((o) => o.variable) : undefined;
  }

  /** The items of a trigger of an app already loaded; undefined when not installed or no such trigger. */
  triggerItems(appId: string, key: string): TriggerItem[] | undefined {
    const manifest = this.cache.get(appId);
    return manifest ? appTriggerItems(manifest, key) : undefined;
  }

  async load(appId: string): Promise<ManifestParts | null> {
    if (!this.cache.has(appId)) {
      // PostgreSQL: FOR SHARE, as for fields above: an uninstall (which deletes the row first) and
      // this publish end in a 409 or a 422, never a published workflow using an app not installed.
      const q = this.db.selectFrom('installations').innerJoin('apps', 'apps.id', 'installations.app_id')
        .select('apps.manifest').where('installations.app_id', '=', appId);
      const row = await (isPostgres(this.db) ? q.forShare('installations') : q).executeTakeFirst();
      const manifest = row ? fromJson<Partial<ManifestParts>>(row.manifest, {}) : null;
      this.cache.set(appId, manifest ? { triggers: manifest.triggers ?? [], actions: manifest.actions ?? [], fields: manifest.fields ?? [] } : null);
    }
    return this.cache.get(appId) ?? null;
  }
}

/** An app a definition names but that is not installed, by name when it is still registered. */
async function notInstalledMessage(db: Executor, appId: string): Promise<string> {
  const row = await db.selectFrom('apps').select('manifest').where('id', '=', appId).executeTakeFirst();
  const name = row ? fromJson<{ name?: string }>(row.manifest, {}).name : undefined;
  // No such app at all: never registered here (a definition from another server), or removed since.
  return row ? `The app "${name ?? appId}" is not installed; install it first` : `The app ${appId} is not installed here; install it, or choose another app`;
}
