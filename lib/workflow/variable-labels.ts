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
