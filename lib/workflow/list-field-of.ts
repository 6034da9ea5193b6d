import type { FieldDefinition } from '../contracts/contacts';

/**
 * The list field a Branch condition reads when its variable is exactly one custom field
 * (`{{$contact.fields.plan}}`): its options are offered and checked for the value, as respond.io
 * offers them; undefined for anything else.
 */
export function listFieldOf(left: string, defs: readonly FieldDefinition[] | undefined): FieldDefinition | undefined {
  const key = /^\{\{\s*\$contact\.fields\.([^\s{}]+)\s*\}\}$/.exec(left.trim())?.[1];
  return key === undefined ? undefined : defs?.find((d) => d.key === key && d.type === 'list');
}
