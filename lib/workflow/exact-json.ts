// JSON as third parties write it, whole numbers included: Shopify's order id 820982911946154508
// is past 2^53, where JSON.parse gives 820982911946154500, which names another order. Such an
// integer is kept as its digits (text), exactly as sent; nothing else changes. Node 24's reviver
// gets each number's source text (TC39 "JSON.parse source text access"). The reviver costs a
// call per value, so only a text holding a run of 16+ digits (the shortest unsafe integer has
// 16) pays it: nearly every body parses as before.

const LONG_DIGITS = /\d{16}/;
const INTEGER = /^-?\d+$/;

type Context = { source?: string };

function keepDigits(_key: string, value: unknown, context?: Context): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER.test(source) && !Number.isSafeInteger(Number(source)) ? source : value;
}

/** JSON.parse, with integers beyond Number.MAX_SAFE_INTEGER kept as their exact digits (a string). Throws as JSON.parse does. */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  try {
    return JSON.parse(text, keepDigits as (key: string, value: unknown) => unknown);
  } catch (error) {
    // V8 revives recursively: past some thousands of levels (a hostile body; /hooks takes any
    // depth) the stack runs out where JSON.parse alone does not. Such a body is parsed as before.
    if (error instanceof RangeError) return JSON.parse(text);
    throw error;
  }
}

/** Whether a text is the digits of an integer JavaScript numbers cannot hold exactly (as parseJsonExact keeps them). */
export function isUnsafeIntegerText(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 16 && INTEGER.test(value) && !/^-?0\d/.test(value) && !Number.isSafeInteger(Number(value));
}
