import { describe, expect, it } from 'vitest';
import { ConditionGroup, VariableCondition, VariableConditionGroup } from './conditions';

describe('VariableCondition', () => {
  it.each([
    [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'vip' }, true],
    [{ left: '{{$trigger.plan}}', operator: 'exists' }, true],
    [{ left: '{{$trigger.plan}}', operator: 'not_exists' }, true],
    [{ left: '{{$trigger.plan}}', operator: 'is' }, false],
    [{ left: '{{$trigger.total}}', operator: 'greater_than' }, false],
    [{ left: '{{$trigger.plan}}', operator: 'is', right: '' }, true],
    [{ left: '  ', operator: 'exists' }, false],
    [{ left: '{{$trigger.plan}}', operator: 'matches', right: 'x' }, false],
  ])('%j valid: %s', (rule, valid) => {
    expect(VariableCondition.safeParse(rule).success).toBe(valid);
  });

  it.each([
    [0, false],
    [1, true],
    [10, true],
    [11, false],
  ])('a group with %i rules valid: %s', (count, valid) => {
    const rules = Array.from({ length: count }, () => ({ left: '{{$trigger.x}}', operator: 'exists' }));
    expect(VariableConditionGroup.safeParse({ logic: 'and', rules }).success).toBe(valid);
  });
});

describe('ConditionGroup', () => {
  it.each([
    [{ logic: 'and', rules: [] }, true],
    [{ logic: 'or', rules: [{ field: 'source', operator: 'is_not', value: 'api' }] }, true],
    [{ logic: 'xor', rules: [] }, false],
    [{ logic: 'and', rules: [{ field: 'source', operator: 'contains', value: 'api' }] }, false],
  ])('%j valid: %s', (group, valid) => {
    expect(ConditionGroup.safeParse(group).success).toBe(valid);
  });
});
