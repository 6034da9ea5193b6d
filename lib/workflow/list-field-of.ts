import type { FieldDefinition } from '../contracts/contacts';
import type { FormField } from '../contracts/forms';

/** A list a Branch condition reads: a contact list field or a shortcut form's list field. */
export interface ListField { label: string; options: readonly string[]; form: boolean }

/** A shortcut's form fields, for the `{{$trigger.<variable>}}` its run fills from them. */
export type FormFields = readonly Pick<FormField, 'variable' | 'label' | 'type' | 'options'>[];

/**
 * The list field a Branch condition reads when its variable is exactly one list: a custom field
 * (`{{$contact.fields.plan}}`) or a shortcut form's list field (`{{$trigger.size}}`, whose value
 * the form made one of its options). Its options are offered and checked for the value, as
 * respond.io offers them; undefined for anything else.
 */
export function listFieldOf(left: string, defs: readonly FieldDefinition[] | undefined, formFields?: FormFields): ListField | undefined {
  const trimmed = left.trim();
  const key = /^\{\{\s*\$contact\.fields\.([^\s{}]+)\s*\}\}$/.exec(trimmed)?.[1];
  if (key !== undefined) {
    const def = defs?.find((d) => d.key === key && d.type === 'list');
    return def && { label: def.label, options: def.options, form: false };
  }
  const variable = /^\{\{\s*\$trigger\.([^\s{}.]+)\s*\}\}$/.exec(trimmed)?.[1];
  const field = variable === undefined ? undefined : formFields?.find((f) => f.variable === variable && f.type === 'list');
  return field?.options && field.options.length > 0 ? { label: field.label, options: field.options, form: true } : undefined;
}
