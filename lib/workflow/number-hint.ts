import type { Ambiguity } from './numbers';

/**
 * "1,250": what it could be, and the two ways of writing it that say which ("1250", "1,250.00").
 * The one wording for a customer's answer (Ask a Question) and an agent's form field.
 */
export function ambiguousNumberHint(text: string, { grouped, decimal, separator }: Ambiguity): string {
  const point = separator === ',' ? '.' : ',';
  // "-1,250" keeps its minus in both ways of writing it (-1250, -1,250.00).
  const sign = grouped < 0 ? '-' : '';
  const size = Math.abs(grouped);
  const withDecimals = `${sign}${Math.trunc(size / 1000)}${separator}${String(size % 1000).padStart(3, '0')}${point}00`;
  return `"${text}" could be ${grouped} or ${String(decimal).replace('.', point)}: please write the number without a separator (${grouped}) or with its decimals (${withDecimals}).`;
}
