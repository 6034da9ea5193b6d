import type { VariableOperator } from '../contracts/conditions';

/** Branch operators as the editor offers them and the run log repeats them. */
export const OPERATOR_LABELS: Record<VariableOperator, string> = {
  is: 'is', is_not: 'is not', contains: 'contains', not_contains: 'does not contain', exists: 'has a value',
  not_exists: 'is empty', greater_than: 'is greater than', less_than: 'is less than', has_tag: 'has tag', not_has_tag: 'does not have tag',
};
