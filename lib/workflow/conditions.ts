import type { ConditionGroup, VariableCondition, VariableConditionGroup } from '../contracts/conditions';
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
// spaces ("VIP" has_tag "vip"). Numbers compare as numbers; anything not numeric is never
// greater or less.

const norm = (s: string) => s.trim().toLowerCase();

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return Array.isArray(value) && value.length === 0;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
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
      const a = asNumber(left);
      const b = asNumber(right);
      if (a === undefined || b === undefined) return false;
      return operator === 'greater_than' ? a > b : a < b;
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
 * `(t) => resolveTemplateValue(t, scope).value`.
 */
export function evaluateVariableConditions(
  group: VariableConditionGroup,
  resolve: (template: string) => unknown,
): boolean {
  if (group.rules.length === 0) return true;
  const check = (rule: VariableCondition) =>
    holds(resolve(rule.left), rule.operator, rule.right === undefined ? '' : toText(resolve(rule.right)));
  return group.logic === 'and' ? group.rules.every(check) : group.rules.some(check);
}
