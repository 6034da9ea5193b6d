import type { WHEN_VALUE_EMPTY } from '../contracts/steps';
import { quoted } from './field-values';
import { renderWithoutBlanks, templateReferences, toText, type TemplateScope } from './template';

// A value built from variables that all came out empty for a run (a webhook without the key, a
// null) is not the admin asking to erase the field: Update Contact Field keeps it and says so, for
// names, email, phone and custom fields alike, on Chatwoot conversations too. A value written
// empty, with no variables, is that request and clears the field, as PATCH with null does.

/** What a step's value template asks of a field for this run; `unknown` as renderTemplate lists them. */
export type FieldTemplateText = { unknown: string[] } & (
  /** Write `text` (trimmed later by the field's reader); `''` clears. `empty`: variables left out of it. */
  | { kind: 'write'; text: string; empty: string[] }
  /** Every variable came out empty: keep the field (the default) or clear it, as the step says. */
  | { kind: 'keep' | 'clear'; empty: string[] });

/**
 * Pure. A template whose variables are only partly empty writes the rest, each empty variable left
 * out with the spaces before it ("{{first}} {{last}}" with no last name writes "Ana").
 */
export function fieldTemplateText(template: string, scope: TemplateScope, whenEmpty: (typeof WHEN_VALUE_EMPTY)[number] = 'keep'): FieldTemplateText {
  const variables = new Set(templateReferences(template).map((r) => r.name));
  const { text, blank, unknown } = renderWithoutBlanks(template, scope);
  if (variables.size > 0 && blank.length === variables.size) return { kind: whenEmpty, empty: blank, unknown };
  return { kind: 'write', text, empty: blank, unknown };
}

/** "{{$trigger.fname}} was" / "{{$trigger.first}} and {{$trigger.last}} were" */
export function wereEmpty(names: readonly string[]): string {
  const written = names.map((name) => `{{${name}}}`);
  return written.length > 1 ? `${written.slice(0, -1).join(', ')} and ${written.at(-1)} were` : `${written[0]} was`;
}

/**
 * The step's note when every variable came out empty: "{{$trigger.fname}} was empty: first name
 * kept as "Lena"". `label` names the field (fieldLabel), `current` is its value before the step.
 */
export function allEmptyNote(reading: Extract<FieldTemplateText, { kind: 'keep' | 'clear' }>, label: string, current: unknown): string {
  const had = toText(current);
  const outcome = reading.kind === 'clear' ? `${label} cleared, as the step says to when its value is empty`
    : had.trim() === '' ? `${label} kept empty` : `${label} kept as ${quoted(had)}`;
  return `${wereEmpty(reading.empty)} empty: ${outcome}`;
}
