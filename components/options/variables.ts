import { AD_REFERRAL_FIELDS } from '../../lib/contracts/ad-referral';
import type { AppList } from '../../lib/contracts/apps';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import { Trigger, triggerVariables, type TriggerInput } from '../../lib/contracts/triggers';
import { appTriggerItems, type TriggerItem } from '../../lib/workflow/app-trigger-items';
import { stepVariables } from '../../lib/workflow/step-variables';
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
    // The ad that opened the conversation is offered field by field (`$conversation.adReferral.headline`).
    ...CONVERSATION_VARIABLES.flatMap((v) => (v === 'adReferral' ? AD_REFERRAL_FIELDS.map((f) => `$conversation.adReferral.${f}`) : [`$conversation.${v}`])),
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

/**
 * Per step index, the `$step.*` names it may read: those a step that can run before it sets
 * (earlier in the list, or later with a jump back), as publishing checks them
 * (lib/workflow/step-variables.ts). An action's outputs come from its app's manifest.
 */
export function stepVariablesAt(draft: WorkflowDraft, apps: Apps): string[][] {
  const outputs = (appId: string, key: string) =>
    apps.find((a) => a.id === appId)?.manifest.actions.find((a) => a.key === key)?.outputs.map((o) => o.variable);
  return stepVariables(draft.steps, outputs).before.map((names) => [...names]);
}
