import { templateReferences } from '../../../lib/workflow/template';
import { fromJson, type Executor } from '../../store/database';

// What workflows rely on among the workspace's settings (contact fields, closing categories), so a
// settings change that would break them is refused (409 naming them), as lifecycle stages and
// workflows started by others are. Admin-only and rare: reading the definitions is fine here.
// Definitions are read loosely (not through the contract), so a stored definition an older
// contract accepted is still searched rather than failing the settings change.

interface LooseStep { id?: unknown; type?: unknown; config?: Record<string, unknown> }
export interface LooseDefinition {
  trigger?: { type?: unknown; field?: unknown; conditions?: { rules?: { field?: unknown; value?: unknown }[] } };
  steps?: LooseStep[];
}

/** Where in a definition something is used, in words: `step "date"`, `its trigger`. */
export interface Use { where: string; inTrigger: boolean }

const stepName = (step: LooseStep) => `step "${String(step.id)}"`;
const TRIGGER = 'its trigger';

/** Every string a value holds, however deep. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Whether a template reads `{{$contact.fields.<key>}}` (or something under it). */
const readsField = (template: string, key: string) =>
  templateReferences(template).some((r) => r.root === 'contact' && r.path[0] === 'fields' && r.path[1] === key);

/**
 * Where a definition uses the contact field `key`: a Contact Field Updated trigger on it, an
 * Update contact field step setting it, an Ask a Question step saving to it, and any template in
 * a step's config reading `{{$contact.fields.<key>}}` (texts, branch conditions, request bodies,
 * headers, app inputs, template parameters…). Shortcut forms fill `$trigger` variables, never
 * fields: a form reaches a field through such a step (`"value": "{{$trigger.callbackDate}}"`).
 */
export function fieldUses(def: LooseDefinition, key: string): Use[] {
  const uses: Use[] = [];
  if (def.trigger?.type === 'contact_field_updated' && def.trigger.field === key) uses.push({ where: TRIGGER, inTrigger: true });
  for (const step of def.steps ?? []) {
    const config = step.config ?? {};
    const sets = (step.type === 'update_contact_field' && config.field === key) || (step.type === 'ask_question' && config.saveToField === key);
    if (sets || strings(config).some((s) => readsField(s, key))) uses.push({ where: stepName(step), inTrigger: false });
  }
  return uses;
}

/** A closing category a definition names, and whether the list `categories` lets it be used. */
export interface CategoryUse extends Use {
  category: string;
  accepts(categories: readonly string[]): boolean;
}

/**
 * The closing categories a definition names: a Conversation Closed trigger's category rules
 * (publishable only on a listed category), and Close conversation steps' fixed categories (a close
 * takes any category while none are listed, once some are only those). A category written as a
 * template (`{{$trigger.category}}`) is only known when the step runs, and checked then.
 */
export function categoryUses(def: LooseDefinition): CategoryUse[] {
  const uses: CategoryUse[] = [];
  if (def.trigger?.type === 'conversation_closed') {
    const named = (def.trigger.conditions?.rules ?? []).flatMap((r) => (r.field === 'category' && typeof r.value === 'string' ? [r.value] : []));
    for (const category of new Set(named)) uses.push({ category, where: TRIGGER, inTrigger: true, accepts: (list) => list.includes(category) });
  }
  for (const step of def.steps ?? []) {
    const category = step.type === 'close_conversation' ? step.config?.category : undefined;
    if (typeof category !== 'string' || category.trim() === '' || isTemplated(category)) continue;
    uses.push({ category, where: stepName(step), inTrigger: false, accepts: (list) => closeAccepts(list, category) });
  }
  return uses;
}

/** What a close (the API's, a step's) accepts: any category while none are listed, otherwise a listed one. */
export const closeAccepts = (categories: readonly string[], category: string) => categories.length === 0 || categories.includes(category);
export const isTemplated = (value: string) => value.includes('{{');

export interface WorkflowUses<T> {
  id: string;
  name: string;
  uses: T[];
}
export interface VersionUses<T> extends WorkflowUses<T> {
  version: number;
  /** Unfinished runs (queued, running, waiting) following this version. */
  runs: number;
}

/** Published workflows, each with what `find` reports of its definition; those it reports nothing of are left out. */
export async function publishedUses<T>(db: Executor, find: (def: LooseDefinition) => T[]): Promise<WorkflowUses<T>[]> {
  const rows = await db.selectFrom('workflows').select(['id', 'name', 'definition'])
    .where('status', '=', 'published').orderBy('name').orderBy('id').execute();
  return rows.flatMap((r) => {
    const uses = find(fromJson<LooseDefinition>(r.definition, {}));
    return uses.length > 0 ? [{ id: r.id, name: r.name, uses }] : [];
  });
}

/**
 * Versions that unfinished runs follow, other than published workflows' current ones (those are
 * publishedUses'): a run goes on with the version it started with after the workflow was edited
 * or unpublished, so what that version's steps use must stay. Only steps count (`find` is given
 * the steps alone): the trigger of such a run has fired already.
 */
export async function unfinishedRunUses<T>(db: Executor, find: (def: LooseDefinition) => T[]): Promise<VersionUses<T>[]> {
  const open = await db.selectFrom('runs').innerJoin('workflows', 'workflows.id', 'runs.workflow_id')
    .select(['runs.workflow_id as id', 'runs.workflow_version as version', 'workflows.name', 'workflows.status', 'workflows.version as current',
      (eb) => eb.fn.countAll<number>().as('runs')])
    .where('runs.status', 'in', ['queued', 'running', 'waiting'])
    .groupBy(['runs.workflow_id', 'runs.workflow_version', 'workflows.name', 'workflows.status', 'workflows.version'])
    .execute();
  const candidates = open.filter((o) => !(o.status === 'published' && o.version === o.current));
  if (candidates.length === 0) return [];
  const versions = await db.selectFrom('workflow_versions').select(['workflow_id', 'version', 'definition'])
    .where('workflow_id', 'in', [...new Set(candidates.map((c) => c.id))]).execute();
  return candidates.flatMap((c) => {
    const row = versions.find((v) => v.workflow_id === c.id && v.version === c.version);
    if (!row) return [];
    const uses = find({ steps: fromJson<LooseDefinition>(row.definition, {}).steps ?? [] });
    return uses.length > 0 ? [{ id: c.id, name: c.name, version: c.version, runs: Number(c.runs), uses }] : [];
  }).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id) || a.version - b.version);
}

export const quoted = (items: readonly string[]) => items.map((i) => `"${i}"`).join(', ');
