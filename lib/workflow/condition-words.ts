import type { VariableOperator } from '../contracts/conditions';

/** Branch operators as the editor offers them and the run log repeats them. */
export const OPERATOR_LABELS: Record<VariableOperator, string> = {
  is: 'is', is_not: 'is not', contains: 'contains', not_contains: 'does not contain', exists: 'has a value',
  not_exists: 'is empty', greater_than: 'is greater than', less_than: 'is less than', has_tag: 'has tag', not_has_tag: 'does not have tag',
};

/** How a value with nothing in it (missing, "", an empty list) reads in a run's Branch explanation. */
export const EMPTY_VALUE = '(empty)';

/** Past this many characters a value shown in a Branch explanation is cut (the raw output keeps it). */
export const VALUE_WORDS_MAX = 80;

const cut = (text: string, max: number) => {
  // By code point: an emoji cut in half would show as a broken glyph.
  const chars = Array.from(text.slice(0, max * 2 + 2));
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
};

/**
 * A value a Branch checked, as a sentence says it: text in quotes (“Pro”), a number or yes/no as
 * it is, a list as its items (“vip”, “new” and 3 more), nothing as (empty). Whatever it holds
 * (markup, a payload) stays words: callers render it as text.
 */
export function valueWords(value: unknown, max = VALUE_WORDS_MAX): string {
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  if (typeof value === 'string') return `“${cut(value, max)}”`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY_VALUE;
    const shown: string[] = [];
    let length = 0;
    for (const item of value) {
      const words = valueWords(item, max);
      if (shown.length > 0 && length + words.length > max) break;
      shown.push(words);
      length += words.length + 2;
    }
    const rest = value.length - shown.length;
    return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
  }
  return cut(JSON.stringify(value) ?? String(value), max);
}

/** One condition of a run's Branch step: `{{$trigger.plan}} is "vip": it was “Pro” — no`. */
export function checkedConditionWords(checked: { condition: string; value: unknown; holds: boolean }): string {
  return `${checked.condition}: it was ${valueWords(checked.value)} — ${checked.holds ? 'yes' : 'no'}`;
}
