import type { ConditionGroup, VariableCondition, VariableConditionGroup } from '../contracts/conditions';
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
// less, and the caller is told why, so the run log says why the branch was not taken.

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

function holds(left: unknown, operator: VariableCondition['operator'], right: string): boolean {
  switch (operator) {
    case 'is':
      return norm(toText(left)) === norm(right);
    case 'is_not':
      return !holds(left, 'is', right);
    case 'contains':
      // In a list, "contains" is membership; in text, a substring.
      return Array.isArray(left) ? items(left).includes(norm(right)) : norm(toText(left)).includes(norm(right));
    case 'not_contains':
      return !holds(left, 'contains', right);
    case 'exists':
      return !isEmpty(left);
    case 'not_exists':
      return isEmpty(left);
    case 'greater_than':
    case 'less_than': {
      const a = readNumber(left);
      const b = readNumber(right);
      if ('problem' in a || 'problem' in b) return false;
      return operator === 'greater_than' ? a.number > b.number : a.number < b.number;
    }
    case 'has_tag':
      return items(left).includes(norm(right));
    case 'not_has_tag':
      return !holds(left, 'has_tag', right);
  }
}

/**
 * Branch conditions. `resolve` turns a template into its value: the raw value for a single
 * placeholder (a list of tags, a number), text otherwise — pass
 * `(t) => resolveTemplateValue(t, scope).value`. `note` hears why a greater/less than did not
 * hold because a side is no number (for the run log).
 */
export function evaluateVariableConditions(
  group: VariableConditionGroup,
  resolve: (template: string) => unknown,
  note?: (message: string) => void,
): boolean {
  if (group.rules.length === 0) return true;
  const check = (rule: VariableCondition) => {
    const left = resolve(rule.left);
    const right = rule.right === undefined ? '' : toText(resolve(rule.right));
    if (note && (rule.operator === 'greater_than' || rule.operator === 'less_than')) {
      const why = notANumber(rule.left, left) ?? notANumber(rule.right ?? '', right);
      if (why) note(`${why}, so "${rule.left} ${OPERATOR_WORDS[rule.operator]} ${rule.right ?? ''}" does not hold`);
    }
    return holds(left, rule.operator, right);
  };
  return group.logic === 'and' ? group.rules.every(check) : group.rules.some(check);
}

const OPERATOR_WORDS = { greater_than: 'greater than', less_than: 'less than' } as const;

/** `{{$trigger.total}} is "1,250", which could be 1250 or 1.25 depending on the locale`; undefined for a number. */
function notANumber(template: string, value: unknown): string | undefined {
  const reading = readNumber(value);
  if (!('problem' in reading)) return undefined;
  const text = toText(value);
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  if (reading.problem === 'is empty') return `${template} is empty`;
  return template === text ? `"${shown}" ${reading.problem}` : `${template} is "${shown}", which ${reading.problem}`;
}
