import { z } from 'zod';

export const LOGIC = ['and', 'or'] as const;
export const Logic = z.enum(LOGIC);
export type Logic = z.infer<typeof Logic>;

export const CONDITION_OPERATORS = ['is', 'is_not'] as const;
export const ConditionOperator = z.enum(CONDITION_OPERATORS);
export type ConditionOperator = z.infer<typeof ConditionOperator>;

/** A trigger condition: compares one fact of the event (e.g. `source`) with a fixed value. */
export const ConditionRule = z.object({
  field: z.string().min(1),
  operator: ConditionOperator,
  value: z.string(),
});
export type ConditionRule = z.infer<typeof ConditionRule>;

export const ConditionGroup = z.object({
  logic: Logic,
  rules: z.array(ConditionRule).max(10, 'At most 10 rules'),
});
export type ConditionGroup = z.infer<typeof ConditionGroup>;

export const VARIABLE_OPERATORS = [
  'is',
  'is_not',
  'contains',
  'not_contains',
  'exists',
  'not_exists',
  'greater_than',
  'less_than',
  'has_tag',
  'not_has_tag',
] as const;
export const VariableOperator = z.enum(VARIABLE_OPERATORS);
export type VariableOperator = z.infer<typeof VariableOperator>;

/** Operators that look at the left side only. */
export const UNARY_VARIABLE_OPERATORS: readonly VariableOperator[] = ['exists', 'not_exists'];

/** A branch condition: `left` is a template (`{{$contact.tags}}`), `right` a value or template. */
export const VariableCondition = z
  .object({
    left: z.string().trim().min(1, 'Choose a variable').max(500),
    operator: VariableOperator,
    right: z.string().max(1000).optional(),
  })
  .superRefine((rule, ctx) => {
    if (!UNARY_VARIABLE_OPERATORS.includes(rule.operator) && rule.right === undefined) {
      ctx.addIssue({ code: 'custom', path: ['right'], message: `Enter a value to compare with (${rule.operator})` });
    }
  });
export type VariableCondition = z.infer<typeof VariableCondition>;

export const VariableConditionGroup = z.object({
  logic: Logic,
  rules: z.array(VariableCondition).min(1, 'Add at least one condition').max(10, 'At most 10 conditions'),
});
export type VariableConditionGroup = z.infer<typeof VariableConditionGroup>;
