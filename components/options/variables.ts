import type { AppList } from '../../lib/contracts/apps';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import { Trigger, triggerVariables, type TriggerInput } from '../../lib/contracts/triggers';
import { CONTACT_VARIABLES, CONVERSATION_VARIABLES, SYSTEM_VARIABLES } from '../../lib/workflow/template';
import type { z } from 'zod';
import type { WorkflowDraft } from './draft-types';

// The same lists the publish check accepts and the run's scope fills (lib/workflow/template.ts):
// the contact's properties but `fields` itself (each custom field is offered as fields.<key>).
const CONTACT = CONTACT_VARIABLES.filter((p) => p !== 'fields');

/** The `$trigger.*` names of a trigger still being edited (it may not be valid yet). */
export function draftTriggerVariables(trigger: TriggerInput): string[] {
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
export function templateVariables(draft: WorkflowDraft, fields: readonly FieldDefinition[]): string[] {
  return [
    ...CONTACT.map((v) => `$contact.${v}`),
    ...fields.map((f) => `$contact.fields.${f.key}`),
    ...CONVERSATION_VARIABLES.map((v) => `$conversation.${v}`),
    ...draftTriggerVariables(draft.trigger).map((v) => `$trigger.${v}`),
    ...SYSTEM_VARIABLES.map((v) => `$system.${v}`),
  ];
}

/** Variables set by steps (HTTP response mappings, mini-app action outputs), with where they are set. */
export function stepVariables(draft: WorkflowDraft, apps: z.infer<typeof AppList>['apps']): { index: number; variable: string }[] {
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
