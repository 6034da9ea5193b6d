import type { CheckedCondition, SkippedCondition } from '../contracts/branch-output';
import { type ConditionGroup, UNARY_VARIABLE_OPERATORS, type VariableCondition, type VariableConditionGroup } from '../contracts/conditions';
import { OPERATOR_LABELS } from './condition-words';
import { readNumber } from './numbers';
import { toText } from './template';

/**
 * Trigger conditions over the facts of an event (`{ source: 'api', category: 'Spam' }`).
 * No group, or a group without rules, always matches. Values are compared exactly: they come
 * from fixed lists (sources, configured categories).
 */
export function matchConditions(
  group: Pick<ConditionGroup, 'logic' | 'rules'> | undefined,
  facts: Record<string, string | undefined>,
): boolean {
  if (!group || group.rules.length === 0) return true;
  const holds = (rule: ConditionGroup['rules'][number]) =>
    rule.operator === 'is' ? facts[rule.field] === rule.value : facts[rule.field] !== rule.value;
  return group.logic === 'and' ? group.rules.every(holds) : group.rules.some(holds);
}

// Branch conditions compare what people typed, so text comparisons ignore case and surrounding
// spaces ("VIP" has_tag "vip"). Numbers compare as numbers, read as people write them ("1,250.00",
// "€120": numbers.ts); a value that is no number (or an ambiguous "1,250") is never greater or
// less, and the caller is told why, so the run log says why the branch was not taken. "is"
// compares numbers as numbers when both sides read as one ("1250.00" is 1250), and as text
// otherwise. A list (tags, a wildcard mapping) is tested value by value with the same rules:
// it contains "IPOD" when one of its values does (respond.io's "contains" is a substring test,
// and one line item or two must not decide between a substring and a member); it is "IPOD-342"
// when one of its values is (n8n's array "contains"); is not / does not contain: none does.

const norm = (s: string) => s.trim().toLowerCase();

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return Array.isArray(value) && value.length === 0;
}

function items(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => norm(toText(v)));
  return isEmpty(value) ? [] : [norm(toText(value))];
}

// "007", "01234": codes (zip codes, references), which equal "7" or "1234" as numbers but not as codes.
const CODE = /^[+-]?0\d/;

/** The number a value equals by, or undefined when it is compared as text. */
function equalityNumber(value: unknown): number | undefined {
  if (typeof value === 'string' && CODE.test(value.trim())) return undefined;
  const reading = readNumber(value);
  // Past 2^53 two different integers are one double: such values (ids kept as their digits) compare as text.
  return 'number' in reading && Math.abs(reading.number) <= Number.MAX_SAFE_INTEGER ? reading.number : undefined;
}

function equals(value: unknown, right: string | number): boolean {
  if (norm(toText(value)) === norm(toText(right))) return true;
  const a = equalityNumber(value);
  const b = a === undefined ? undefined : equalityNumber(right);
  return a !== undefined && b !== undefined && a === b;
}

/** For greater/less than, a list of one value is that value (a filter that matched one total); of none, empty. */
const single = (value: unknown) => (Array.isArray(value) && value.length <= 1 ? value[0] : value);

function holds(left: unknown, operator: VariableCondition['operator'], right: string | number): boolean {
  switch (operator) {
    case 'is':
      // An empty list reads as empty text, as it renders.
      return Array.isArray(left) && left.length > 0 ? left.some((v) => equals(v, right)) : equals(left, right);
    case 'is_not':
      return !holds(left, 'is', right);
    case 'contains': {
      const wanted = norm(toText(right));
      return Array.isArray(left) ? items(left).some((v) => v.includes(wanted)) : norm(toText(left)).includes(wanted);
    }
    case 'not_contains':
      return !holds(left, 'contains', right);
    case 'exists':
      return !isEmpty(left);
    case 'not_exists':
      return isEmpty(left);
    case 'greater_than':
    case 'less_than': {
      const a = readNumber(single(left));
      const b = readNumber(right);
      if ('problem' in a || 'problem' in b) return false;
      return operator === 'greater_than' ? a.number > b.number : a.number < b.number;
    }
    case 'has_tag':
      return items(left).includes(norm(toText(right)));
    case 'not_has_tag':
      return !holds(left, 'has_tag', right);
  }
}

/** One condition as a run checked it: what it asked, what the variable held, whether it held. */
export type { CheckedCondition } from '../contracts/branch-output';

// Shown values are cut: a run log explains a decision, it does not copy a whole payload.
const SHOWN = 200;
function shownValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 20).map(shownValue);
  if (typeof value === 'string') return value.length > SHOWN ? `${value.slice(0, SHOWN)}…` : value;
  if (value === undefined) return null;
  return typeof value === 'object' && value !== null ? shownValue(toText(value)) : value;
}

/**
 * Branch conditions, with what was checked: the run log says why a branch was (not) taken as
 * n8n's IF node shows its inputs. Rules are checked in order and stop where the group's answer
 * is known (and: the first that fails; or: the first that holds), as the answer itself does.
 * `resolve` turns a template into its value: the raw value for a single placeholder (a list of
 * tags, a number), text otherwise — pass `(t) => resolveTemplateValue(t, scope).value`. `note`
 * hears why a greater/less than did not hold because a side is no number (for the run log).
 * The rules left unchecked come back as `skipped`, as written, so the log lists every condition.
 */
export function checkVariableConditions(
  group: VariableConditionGroup,
  resolve: (template: string) => unknown,
  note?: (message: string) => void,
): { holds: boolean; checked: CheckedCondition[]; skipped: SkippedCondition[] } {
  const checked: CheckedCondition[] = [];
  if (group.rules.length === 0) return { holds: true, checked, skipped: [] };
  for (const [at, rule] of group.rules.entries()) {
    const left = resolve(rule.left);
    // A number stays one ({{$contact.fields.limit}} holding 1.125 is not the ambiguous text "1.125").
    const resolved = rule.right === undefined ? '' : resolve(rule.right);
    const right = typeof resolved === 'number' ? resolved : toText(resolved);
    if (note && (rule.operator === 'greater_than' || rule.operator === 'less_than')) {
      const why = notANumber(rule.left, single(left)) ?? notANumber(rule.right ?? '', right);
      if (why) note(`${why}, so "${rule.left} ${OPERATOR_WORDS[rule.operator]} ${rule.right ?? ''}" does not hold`);
    }
    const ok = holds(left, rule.operator, right);
    checked.push({ condition: conditionText(rule, right), left: rule.left, value: shownValue(left), holds: ok });
    if (group.logic === 'and' ? !ok : ok) {
      // Not resolved: a rule never checked says what it asks, not a value it never read.
      const skipped = group.rules.slice(at + 1).map((r) => ({ condition: writtenConditionText(r), left: r.left }));
      return { holds: ok, checked, skipped };
    }
  }
  return { holds: group.logic === 'and', checked, skipped: [] };
}

/** `{{$contact.fields.plan}} is "vip"` as written, for a rule the run did not check. */
function writtenConditionText(rule: VariableCondition): string {
  const asked = `${rule.left} ${OPERATOR_LABELS[rule.operator]}`;
  if (UNARY_VARIABLE_OPERATORS.includes(rule.operator)) return asked;
  const written = rule.right ?? '';
  return written.includes('{{') ? `${asked} ${written}` : `${asked} ${JSON.stringify(shownValue(written))}`;
}

/** `{{$contact.fields.plan}} is "vip"`; a variable compared with shows the value it had. */
function conditionText(rule: VariableCondition, right: string | number): string {
  const asked = `${rule.left} ${OPERATOR_LABELS[rule.operator]}`;
  if (UNARY_VARIABLE_OPERATORS.includes(rule.operator)) return asked;
  const written = rule.right ?? '';
  const value = JSON.stringify(shownValue(typeof right === 'number' ? right : String(right)));
  return written.includes('{{') ? `${asked} ${written} (${value})` : `${asked} ${value}`;
}

/** Whether a group of branch conditions holds (see checkVariableConditions). */
export function evaluateVariableConditions(
  group: VariableConditionGroup,
  resolve: (template: string) => unknown,
  note?: (message: string) => void,
): boolean {
  return checkVariableConditions(group, resolve, note).holds;
}

const OPERATOR_WORDS = { greater_than: 'greater than', less_than: 'less than' } as const;

/** `{{$trigger.total}} is "1,250", which could be 1250 or 1.25 depending on the locale`; undefined for a number. */
function notANumber(template: string, value: unknown): string | undefined {
  const reading = readNumber(value);
  if (!('problem' in reading)) return undefined;
  const text = toText(value);
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  if (reading.problem === 'is empty') return `${template} is empty`;
  if (Array.isArray(value)) return `${template} is a list of ${value.length} values ("${shown}"), not one number`;
  return template === text ? `"${shown}" ${reading.problem}` : `${template} is "${shown}", which ${reading.problem}`;
}
