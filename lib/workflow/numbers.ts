// Numbers as people and other systems write them, for Branch, Ask a Question and number fields:
// "1,250.00", "1.250,00", "€120", "USD 1 250", "1'250.50", "12,5". A text is read whatever the
// locale when its form says which separator is the decimal one; "1,250", "1.250" or "€1.250" (one
// separator, three digits after it, one to three before) is 1250 in one locale and 1.25 in
// another, so it is no number at all here and the caller says so rather than guess: a German
// customer's "1.250" is €1,250, whatever JavaScript's Number() says. Only digits count: "0x100",
// "0b11", "1e3" and "Infinity" are what Number() reads, not amounts anyone writes. A JSON number
// (a value that is already a number) is taken as it is.

/** `ambiguous`: the two numbers the text could be, and the separator that makes it so. */
export type NumberReading = { number: number } | { problem: string; ambiguous?: Ambiguity };
export type Ambiguity = { grouped: number; decimal: number; separator: '.' | ',' };

const SPACES = /[\s\u00A0\u202F\u2009]/g;
// A currency symbol or code before or after the amount: "€", "US$", "R$", "USD", "EUR ".
const CURRENCY_BEFORE = /^(?:[A-Z]{1,3}\s?)?\p{Sc}|^[A-Z]{3}(?=[\s\d+-])/u;
const CURRENCY_AFTER = /\p{Sc}$|(?<=[\d\s])[A-Z]{3}$/u;
const FORMATTED = /^[+-]?\d[\d.,'’ ]*$/;
// Digits without a separator inside ("1250", "-7", "5.", ".5"): nothing to decide.
const PLAIN = /^[+-]?(?:\d+\.?|\.\d+)$/;

/** The number a value holds, or why it holds none (empty, not a number, ambiguous). */
export function readNumber(value: unknown): NumberReading {
  if (typeof value === 'number') return Number.isFinite(value) ? { number: value } : { problem: 'is not a finite number' };
  if (typeof value !== 'string') return value === undefined || value === null ? { problem: 'is empty' } : { problem: 'is not a number' };
  const text = value.trim();
  if (text === '') return { problem: 'is empty' };
  if (PLAIN.test(text)) {
    const plain = Number(text);
    return Number.isFinite(plain) ? { number: plain } : { problem: 'is not a number' };
  }
  return readFormatted(text);
}

function readFormatted(text: string): NumberReading {
  let rest = text;
  let sign = '';
  const takeSign = () => {
    if (sign === '' && /^[+-]/.test(rest)) { sign = rest[0]!; rest = rest.slice(1).trim(); }
  };
  takeSign();
  rest = rest.replace(CURRENCY_BEFORE, '').trim();
  takeSign();
  rest = rest.replace(CURRENCY_AFTER, '').trim();
  // Every kind of space groups digits ("1 250", "1 250"); none is ever a decimal point.
  rest = rest.replace(SPACES, ' ');
  if (!FORMATTED.test(rest)) return { problem: 'is not a number' };
  if (/^[+-]/.test(rest)) {
    if (sign) return { problem: 'is not a number' };
    sign = rest[0]!;
    rest = rest.slice(1);
  }
  const reading = digitsOf(rest);
  if ('problem' in reading) return sign === '-' && reading.ambiguous ? negated(reading.ambiguous) : reading;
  const n = Number(`${sign}${reading.digits}`);
  return Number.isFinite(n) ? { number: n } : { problem: 'is not a number' };
}

/** "-1,250": the sign read before the digits belongs to both readings, and to the hint built from them. */
function negated({ grouped, decimal, separator }: Ambiguity): NumberReading {
  const ambiguous = { grouped: -grouped, decimal: -decimal, separator };
  return { problem: `could be ${ambiguous.grouped} or ${ambiguous.decimal} depending on the locale`, ambiguous };
}

/** "1,250.00" -> "1250.00": which separator is the decimal one, and whether the grouping is sound. */
function digitsOf(text: string): { digits: string } | { problem: string; ambiguous?: Ambiguity } {
  const decimal = decimalSeparator(text);
  if (typeof decimal === 'object') return decimal;
  const point = decimal === undefined ? -1 : text.lastIndexOf(decimal);
  const whole = point < 0 ? text : text.slice(0, point);
  const fraction = point < 0 ? '' : text.slice(point + 1);
  if (!/^\d+$/.test(fraction) && point >= 0) return { problem: 'is not a number' };
  if (!soundGrouping(whole)) return { problem: 'is not a number' };
  const digits = whole.replace(/[.,'’ ]/g, '');
  return { digits: fraction ? `${digits}.${fraction}` : digits };
}

/**
 * The decimal separator: the later of "." and "," when both appear; one that appears more than
 * once groups digits; one that appears once is decimal unless three digits follow it and one to
 * three precede it alone, which no form settles ("1,250" and "1.250" are 1250 or 1.25). A lone
 * "0" never opens a group ("0.125" is 0.125).
 */
function decimalSeparator(text: string): '.' | ',' | undefined | { problem: string; ambiguous: Ambiguity } {
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ',';
  const sep = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : undefined;
  if (sep === undefined || text.indexOf(sep) !== text.lastIndexOf(sep)) return undefined;
  const at = text.indexOf(sep);
  const before = text.slice(0, at);
  const after = text.slice(at + 1);
  if (after.length === 3 && /^[1-9]\d{0,2}$/.test(before)) {
    const grouped = Number(before + after);
    const decimal = Number(`${before}.${after}`);
    return { problem: `could be ${grouped} or ${decimal} depending on the locale`, ambiguous: { grouped, decimal, separator: sep } };
  }
  return sep;
}

/** One kind of group separator, groups of three ("1,250,000") or Indian ("12,50,000"); or none. */
function soundGrouping(whole: string): boolean {
  const seps = new Set(whole.replace(/\d/g, ''));
  if (seps.size === 0) return /^\d+$/.test(whole);
  if (seps.size > 1) return false;
  const groups = whole.split([...seps][0]!);
  const [first, ...others] = groups;
  if (!first || first.length > 3 || others.length === 0) return false;
  const last = others.at(-1)!;
  if (last.length !== 3) return false;
  const middle = others.slice(0, -1);
  return middle.every((g) => g.length === 3) || (first.length <= 2 && middle.every((g) => g.length === 2));
}
