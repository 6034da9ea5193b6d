import type { FieldDefinition } from '../contracts/contacts';
import { isStandardContactField, STANDARD_CONTACT_FIELD_LABELS } from '../contracts/triggers';

/** What names a workflow's variables: the workspace's custom fields and, for a shortcut, its form's fields. */
export interface VariableNames {
  fields?: readonly Pick<FieldDefinition, 'key' | 'label'>[] | undefined;
  formFields?: readonly { variable: string; label: string }[] | undefined;
}

const ONE_PLACEHOLDER = /^\{\{\s*\$(contact|trigger)\.([^\s{}]+)\s*\}\}$/;

/**
 * The label a template that is exactly one variable reads by, as the builder names the field it
 * holds ("Plan" for `{{$contact.fields.plan}}`, "First name" for `{{$contact.firstName}}`, a
 * shortcut form field's label for `{{$trigger.<its variable>}}`); undefined for anything else
 * (text around it, a variable no field names), which is then shown as written.
 */
export function variableLabel(template: string, names: VariableNames): string | undefined {
  const [, root, path] = ONE_PLACEHOLDER.exec(template.trim()) ?? [];
  if (root === undefined || path === undefined) return undefined;
  if (root === 'trigger') return names.formFields?.find((f) => f.variable === path)?.label;
  const custom = /^fields\.([^.]+)$/.exec(path)?.[1];
  if (custom !== undefined) return names.fields?.find((f) => f.key === custom)?.label;
  return isStandardContactField(path) ? STANDARD_CONTACT_FIELD_LABELS[path] : undefined;
}

/** `firstIncomingMessage` → "first incoming message"; `adReferral.headline` → "ad referral headline". */
const words = (path: string) =>
  path.split('.').map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase()).join(' ').replace(/\bid\b/g, 'ID');
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Words for variables no field names, by where they come from (the shortcut's launcher has its own). */
const OTHER_NAMES: Readonly<Record<string, string>> = {
  '$trigger.launchedBy': 'Launched by (user ID)',
  '$trigger.launchedByName': 'Launched by',
  '$system.now': 'Now (date and time)',
};
const ROOT_WORDS: Readonly<Record<string, string>> = { contact: 'contact', conversation: 'conversation', trigger: '', step: '', system: '' };

/**
 * What the builder's "Insert variable" menu reads a variable by (`$contact.fields.plan` → "Plan",
 * `$trigger.field_3` → its form field's label, `$contact.firstName` → "First name"), as run
 * details name it (variableLabel); any other variable in words from its name, so that every item
 * reads as words with its path beside it, as n8n's and respond.io's pickers do.
 */
export function variableMenuLabel(variable: string, names: VariableNames): string {
  const named = variableLabel(`{{${variable}}}`, names) ?? OTHER_NAMES[variable];
  if (named !== undefined) return named;
  const [, root = '', path = variable] = /^\$([a-z]+)\.(.+)$/.exec(variable) ?? [];
  return capitalised(`${ROOT_WORDS[root] ?? ''} ${words(path)}`.trim());
}
