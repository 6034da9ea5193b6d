import type { VariableCondition } from '../contracts/conditions';
import type { FieldDefinition } from '../contracts/contacts';
import { fieldName, fieldValueOf, isPhoneField, writableField } from './field-values';
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
