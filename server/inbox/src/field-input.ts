import type { FieldDefinition, FieldValue } from './wire.js';

// A custom field's value as its input holds it, and back: the API takes a number, a boolean or
// null (empty clears the value), an input only text or a checked state.

export type FieldInput = HTMLInputElement | HTMLSelectElement;

export const INPUT_TYPES: Partial<Record<FieldDefinition['type'], string>> = { text: 'text', url: 'url', phone: 'tel', email: 'email', number: 'number', date: 'date' };

/** The value a field input holds, in the type the API expects (empty means "clear"). */
export function readField(def: FieldDefinition, el: FieldInput): FieldValue {
  if (def.type === 'checkbox') return (el as HTMLInputElement).checked;
  const raw = el.value.trim();
  if (raw === '') return null;
  return def.type === 'number' ? Number(raw) : raw;
}

export function writeField(def: FieldDefinition, el: FieldInput, value: FieldValue | undefined) {
  if (def.type === 'checkbox') (el as HTMLInputElement).checked = value === true;
  else el.value = value === null || value === undefined ? '' : String(value);
}
