import { isStandardContactField } from '../contracts/triggers';
import { UNASSIGN } from '../contracts/steps';
import type { WorkflowDefinition } from '../contracts/workflow';
import { templateReferences } from './template';

// What a definition names by this server's ids (users, apps, other workflows) and by the
// workspace's settings (custom field keys): what a workflow file carries so another server can
// match them again (server/engine/workflows/import.ts). Channels are never named: a message goes
// out on the conversation's own channel, and `$trigger.channel` is a kind (`whatsapp`).

export const REFERENCE_KINDS = ['user', 'app', 'workflow'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** One id a definition names, where (`steps.2.config.userId`), and in words (`step "assign"`). */
export interface IdReference { kind: ReferenceKind; id: string; path: string; where: string }

const stepWhere = (step: { id: string; type: string }) => `step "${step.id}" (${step.type})`;

/** Every user, app and workflow id the definition names, in order. */
export function idReferences(def: WorkflowDefinition): IdReference[] {
  const refs: IdReference[] = [];
  if (def.trigger.type === 'mini_app') refs.push({ kind: 'app', id: def.trigger.appId, path: 'trigger.appId', where: 'the trigger' });
  def.steps.forEach((step, i) => {
    const at = (field: string) => `steps.${i}.config.${field}`;
    if (step.type === 'assign_to') {
      const { userId, userIds } = step.config;
      if (userId !== undefined && userId !== UNASSIGN) refs.push({ kind: 'user', id: userId, path: at('userId'), where: stepWhere(step) });
      (userIds ?? []).forEach((id, j) => refs.push({ kind: 'user', id, path: at(`userIds.${j}`), where: stepWhere(step) }));
    }
    if (step.type === 'mini_app_action') refs.push({ kind: 'app', id: step.config.appId, path: at('appId'), where: stepWhere(step) });
    if (step.type === 'trigger_workflow') refs.push({ kind: 'workflow', id: step.config.workflowId, path: at('workflowId'), where: stepWhere(step) });
  });
  return refs;
}

/** The definition with each id replaced as `map` says (kind and id in the file → id here); others kept. */
export function rewriteIds(def: WorkflowDefinition, map: (kind: ReferenceKind, id: string) => string | undefined): WorkflowDefinition {
  const to = (kind: ReferenceKind, id: string) => map(kind, id) ?? id;
  const trigger = def.trigger.type === 'mini_app' ? { ...def.trigger, appId: to('app', def.trigger.appId) } : def.trigger;
  const steps = def.steps.map((step) => {
    if (step.type === 'assign_to') {
      const { userId, userIds } = step.config;
      return { ...step, config: {
        ...step.config,
        ...(userId !== undefined && userId !== UNASSIGN ? { userId: to('user', userId) } : {}),
        ...(userIds ? { userIds: userIds.map((id) => to('user', id)) } : {}),
      } };
    }
    if (step.type === 'mini_app_action') return { ...step, config: { ...step.config, appId: to('app', step.config.appId) } };
    if (step.type === 'trigger_workflow') return { ...step, config: { ...step.config, workflowId: to('workflow', step.config.workflowId) } };
    return step;
  });
  return { ...def, trigger, steps };
}

/** Every string in a value, however deep (the templates of a step's config). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/**
 * The custom contact fields a definition uses, with where: a Contact Field Updated trigger on one,
 * a step setting one (Update contact field, Ask a Question's saveToField), and templates reading
 * `{{$contact.fields.<key>}}`. Standard fields (email, phone, names, lifecycle) every workspace has.
 */
export function customFieldUses(def: WorkflowDefinition): { key: string; path: string; where: string }[] {
  const uses: { key: string; path: string; where: string }[] = [];
  const add = (key: string | undefined, path: string, where: string) => {
    if (key && !isStandardContactField(key) && !uses.some((u) => u.key === key && u.path === path)) uses.push({ key, path, where });
  };
  if (def.trigger.type === 'contact_field_updated') add(def.trigger.field, 'trigger.field', 'the trigger');
  def.steps.forEach((step, i) => {
    if (step.type === 'update_contact_field') add(step.config.field, `steps.${i}.config.field`, stepWhere(step));
    if (step.type === 'ask_question') add(step.config.saveToField, `steps.${i}.config.saveToField`, stepWhere(step));
    for (const text of strings(step.config)) {
      for (const ref of templateReferences(text)) if (ref.root === 'contact' && ref.path[0] === 'fields') add(ref.path[1], `steps.${i}.config`, stepWhere(step));
    }
  });
  return uses;
}
