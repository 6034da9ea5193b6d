import type { VariableCondition } from '../contracts/conditions';
import type { FieldDefinition } from '../contracts/contacts';
import { fieldName, fieldValueOf, isPhoneField, writableField } from './field-values';
import { type FormFields, listFieldOf } from './list-field-of';
import { isInternational } from './national-phone';
import { readNumber } from './numbers';
import type { ActionInputSpec } from './validate-workflow';

// Values written into a step's configuration without variables: the same on every run, so one
// that would fail at run time is refused at publishing instead (validate-workflow.ts).

/** A greater/less than against a written value that is no number would never hold: say so now. */
export function comparedNumberProblem(rule: VariableCondition): string | undefined {
  if (rule.operator !== 'greater_than' && rule.operator !== 'less_than') return undefined;
  const right = rule.right ?? '';
  if (right.includes('{{')) return undefined; // a variable: read when the run gets there (a note if it is no number)
  const reading = readNumber(right);
  if (!('problem' in reading)) return undefined;
  const advice = 'enter a number to compare with, without thousands separators, e.g. 1250 or 1250.50';
  return reading.problem === 'is empty' ? `Nothing to compare with: ${advice}` : `"${right}" ${reading.problem}: ${advice}`;
}

/**
 * A value written without variables is the same on every run: one the field cannot hold would
 * fail them all, so it is refused now, by the check the step runs (lib/workflow/field-values.ts).
 * Standard fields are always known; custom ones when the workspace's definitions are given; a
 * phone number without its country code once the workspace's default country is (`country`
 * undefined: not known yet, as in the editor before it loads; null: none is set).
 */
export function literalValueProblem(
  config: { field: string; value: string }, index: number, id: string, defs: readonly FieldDefinition[] = [], country?: string | null,
): string | undefined {
  if (config.value.includes('{{')) return undefined;
  const field = writableField(config.field, defs);
  if (field && isPhoneField(field) && country === undefined && config.value.trim() !== '' && !isInternational(config.value)) return undefined;
  const read = field && fieldValueOf(field, config.value, country);
  return read && 'error' in read ? `Step ${index + 1} ("${id}") cannot set ${fieldName(field)}: ${read.error}` : undefined;
}

/**
 * What would stop a mini-app action at run time, known from its definition: a required input
 * left empty, an input the action does not have. Keyed by input.
 */
export function actionInputProblems(actionKey: string, inputs: readonly ActionInputSpec[], given: Record<string, string>): [string, string][] {
  const problems: [string, string][] = [];
  for (const input of inputs) {
    if (input.required && (given[input.key] ?? '').trim() === '') {
      problems.push([input.key, `"${input.label}" is a required input of the action "${actionKey}": give it a value`]);
    }
  }
  for (const key of Object.keys(given)) {
    if (!inputs.some((i) => i.key === key)) problems.push([key, `The action "${actionKey}" has no input "${key}"`]);
  }
  return problems;
}

/**
 * Ask a Question's choices are the only answers it accepts, so a choice the field it saves to
 * cannot hold (a list field without that option, a number field) would be dropped on every run
 * with only a note in the log: said at publishing, naming the choices and what the field takes.
 */
export function choiceFieldProblem(
  config: { answerType: string; choices: readonly string[]; saveToField?: string | undefined }, index: number, id: string, defs: readonly FieldDefinition[] = [],
): string | undefined {
  if (config.answerType !== 'choice' || !config.saveToField) return undefined;
  const field = writableField(config.saveToField, defs);
  if (!field) return undefined;
  const refused = config.choices.flatMap((choice) => {
    const read = fieldValueOf(field, choice, null);
    return 'error' in read ? [{ choice, error: read.error }] : [];
  });
  if (refused.length === 0) return undefined;
  const named = refused.map((r) => `"${r.choice}"`).join(', ');
  return `Step ${index + 1} ("${id}") saves the answer to ${fieldName(field)}, which cannot hold the choice${refused.length > 1 ? 's' : ''} ${named} (${refused[0]!.error}): change the choices or the field`;
}

/** The list field a Branch's is / is not compares with a written value none of its options, with that value. */
function unlistedValue(rule: VariableCondition, defs: readonly FieldDefinition[], formFields?: FormFields) {
  if (rule.operator !== 'is' && rule.operator !== 'is_not') return undefined;
  const def = listFieldOf(rule.left, defs, formFields);
  const right = (rule.right ?? '').trim();
  if (!def || right === '' || right.includes('{{')) return undefined;
  if (def.options.some((o) => o.trim().toLowerCase() === right.toLowerCase())) return undefined;
  return { def, right };
}

/**
 * A Branch condition comparing a shortcut form's list field (`{{$trigger.size}}`) with a written
 * value that is none of its options never holds (is not: always holds): the form only takes its
 * options. A contact list field is not refused so (see listOptionNote): contacts keep a value
 * after its option is removed, and connectors mirror values from elsewhere.
 */
export function listOptionProblem(rule: VariableCondition, defs: readonly FieldDefinition[] = [], formFields?: FormFields): string | undefined {
  const found = unlistedValue(rule, defs, formFields);
  if (!found?.def.form) return undefined;
  const { def, right } = found;
  return `The form field "${def.label}" is one of ${def.options.join(', ')}: "${right}" is none of them, so this condition would ${rule.operator === 'is' ? 'never' : 'always'} hold; enter one of its options`;
}

/**
 * The editor's note (publishing takes it) on a contact list field compared with a value none of
 * its options: a cleanup workflow for a retired option ("plan is Gold → set plan to Pro") is
 * legitimate, and a typo shows here before any run goes to else.
 */
export function listOptionNote(rule: VariableCondition, defs: readonly FieldDefinition[] = []): string | undefined {
  const found = unlistedValue(rule, defs);
  if (!found) return undefined;
  const { def, right } = found;
  const who = rule.operator === 'is' ? 'only contacts still holding it match' : 'every contact not holding it matches';
  return `"${right}" is not one of ${def.label}'s options now (${def.options.join(', ')}): ${who}`;
}

/**
 * Ask a Question saving a free answer to a field whose type keeps only some replies: a number
 * field (most answers are no number), a date field (a text is rarely YYYY-MM-DD), a list field
 * (free text is seldom one of its options). Each was dropped with only a note in the run log.
 * respond.io asks such questions with a matching answer type (Number, Date re-ask until the reply
 * is one; Choice offers the options): said at publishing, with the answer type to choose.
 */
export function answerTypeFieldProblem(
  config: { answerType: string; saveToField?: string | undefined }, index: number, id: string, defs: readonly FieldDefinition[] = [],
): string | undefined {
  if (!config.saveToField || config.answerType === 'choice') return undefined;
  const field = writableField(config.saveToField, defs);
  if (!field || !('custom' in field)) return undefined;
  const { key, label, type, options } = field.custom;
  const article = /^[aeiou]/.test(config.answerType) ? 'an' : 'a';
  const step = `Step ${index + 1} ("${id}") saves ${article} ${config.answerType} answer to the ${type} field "${label}" (${key})`;
  if (type === 'number' && config.answerType !== 'number') {
    return `${step}, which would not keep a reply that is no number: set the expected answer to Number (it asks again until the reply is one), or save to another field`;
  }
  if (type === 'date' && config.answerType !== 'date') {
    return `${step}, which would not keep a reply that is no date: set the expected answer to Date (it asks again until the reply is one), or save to another field`;
  }
  if (type === 'list') {
    return `${step}, which keeps only one of its options (${options.join(', ')}): set the expected answer to Choice with those options, or save to another field`;
  }
  return undefined;
}
