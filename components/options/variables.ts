import type { AppList } from '../../lib/contracts/apps';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import { Trigger, triggerVariables, type TriggerInput } from '../../lib/contracts/triggers';
import { appTriggerItems, type TriggerItem } from '../../lib/workflow/app-trigger-items';
import { CONTACT_VARIABLES, CONVERSATION_VARIABLES, SYSTEM_VARIABLES } from '../../lib/workflow/template';
import type { z } from 'zod';
import type { WorkflowDraft } from './draft-types';

// The same lists the publish check accepts and the run's scope fills (lib/workflow/template.ts):
// the contact's properties but `fields` itself (each custom field is offered as fields.<key>).
const CONTACT = CONTACT_VARIABLES.filter((p) => p !== 'fields');

type Apps = z.infer<typeof AppList>['apps'];

/**
 * The items of a mini-app trigger being edited, as publishing checks them: the installed app's
 * manifest says them; undefined while the app is not chosen, loaded or installed.
 */
export function draftTriggerItems(trigger: TriggerInput, apps: Apps): TriggerItem[] | undefined {
  if (trigger.type !== 'mini_app' || !trigger.appId || !trigger.triggerKey) return undefined;
  const manifest = apps.find((a) => a.id === trigger.appId && a.installation)?.manifest;
  return manifest ? appTriggerItems(manifest, trigger.triggerKey) : undefined;
}

/** The `$trigger.*` names of a trigger still being edited (it may not be valid yet). */
export function draftTriggerVariables(trigger: TriggerInput, apps: Apps = []): string[] {
  if (trigger.type === 'mini_app') return (draftTriggerItems(trigger, apps) ?? []).map((i) => i.key);
  const parsed = Trigger.safeParse(trigger);
  if (parsed.success) return triggerVariables(parsed.data);
  switch (trigger.type) {
    case 'shortcut':
      return [...(trigger.form?.fields ?? []).map((f) => f.variable).filter(Boolean), 'launchedBy'];
    case 'incoming_webhook':
      return (trigger.mappings ?? []).map((m) => m.variable).filter(Boolean);
    case 'contact_tag_updated':
      return triggerVariables({ ...trigger, tags: ['x'] });
    case 'contact_field_updated':
      return triggerVariables({ ...trigger, field: 'x' });
    case 'click_to_chat_ads':
      return triggerVariables({ ...trigger, adAccountId: 'x', adIds: ['x'] });
    default:
      return [];
  }
}

/**
 * Everything a template may use here, except `$step.*` (which depends on the step's position):
 * what publishing accepts (lib/workflow/validate-workflow.ts), with the workspace's custom fields.
 */
export function templateVariables(draft: WorkflowDraft, fields: readonly FieldDefinition[], apps: Apps = []): string[] {
  return [
    ...CONTACT.map((v) => `$contact.${v}`),
    ...fields.map((f) => `$contact.fields.${f.key}`),
    ...CONVERSATION_VARIABLES.map((v) => `$conversation.${v}`),
    ...draftTriggerVariables(draft.trigger, apps).map((v) => `$trigger.${v}`),
    ...SYSTEM_VARIABLES.map((v) => `$system.${v}`),
  ];
}

/**
 * What the menu says beside a variable: a mini-app trigger's json item holds many values, read
 * by a path below it (`{{$trigger.order.total}}`), which only the app knows.
 */
export function variableNotes(draft: WorkflowDraft, apps: Apps): Record<string, string> {
  const json = (draftTriggerItems(draft.trigger, apps) ?? []).filter((i) => i.type === 'json');
  return Object.fromEntries(json.map((i) => [`$trigger.${i.key}`, `JSON from the app: add the path of a value inside, e.g. {{$trigger.${i.key}.<key>}}`]));
}

/** Variables set by steps (HTTP response mappings, mini-app action outputs), with where they are set. */
export function stepVariables(draft: WorkflowDraft, apps: Apps): { index: number; variable: string }[] {
  return draft.steps.flatMap((step, index) => {
    if (step.type === 'ask_question') return step.config.saveToVariable ? [{ index, variable: step.config.saveToVariable }] : [];
    if (step.type === 'http_request') return (step.config.responseMappings ?? []).map((m) => ({ index, variable: m.variable })).filter((v) => v.variable);
    if (step.type === 'mini_app_action') {
      const action = apps.find((a) => a.id === step.config.appId)?.manifest.actions.find((a) => a.key === step.config.actionKey);
      return (action?.outputs ?? []).map((o) => ({ index, variable: o.variable }));
    }
    return [];
  });
}
