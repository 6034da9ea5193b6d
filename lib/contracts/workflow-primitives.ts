import { z } from 'zod';
import { compileJsonPath } from './jsonpath';
import { Tag } from './tag';

// Building blocks shared by triggers, steps and forms. Kept here (not in each file) so a
// variable name or JSON key means the same thing everywhere.

export const IsoDateTime = z.iso.datetime({ offset: true });

export const Id = z.string().min(1).max(100);

export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const VariableName = z
  .string()
  .min(1, 'Give the variable a name')
  .max(30, 'A variable name has at most 30 characters')
  .regex(VARIABLE_NAME_PATTERN, 'Use letters, digits and _ only, not starting with a digit');
export type VariableName = z.infer<typeof VariableName>;

/**
 * A JSONPath expression (RFC 9535), e.g. `$.data.contacts[1].firstName`, `$.items[-1].sku`,
 * `$['first name']`. One that does not compile is refused with what is wrong and where.
 */
export const JsonKey = z
  .string()
  .trim()
  .min(1, 'Enter a JSON key such as $.phone')
  .max(500, 'A JSON key has at most 500 characters')
  // A pattern, not .startsWith: zod writes that as `format: "starts_with"`, no format OpenAPI knows.
  .regex(/^\$/, 'A JSON key starts with $, e.g. $.phone')
  .superRefine((path, ctx) => {
    if (!path.startsWith('$') || path.length > 500) return;
    const compiled = compileJsonPath(path);
    if ('error' in compiled) ctx.addIssue({ code: 'custom', message: `Not a valid JSONPath (RFC 9535): ${compiled.error}, e.g. $.order.id or $['first name']` });
  });
export type JsonKey = z.infer<typeof JsonKey>;

export const VariableMapping = z.object({ jsonKey: JsonKey, variable: VariableName });
export type VariableMapping = z.infer<typeof VariableMapping>;

/** Reports a duplicate on the path of its second occurrence, so a form can point at it. */
export function addDuplicateIssues<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  ctx: z.RefinementCtx,
  label: string,
  pathOf: (index: number) => PropertyKey[],
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: pathOf(index), message: `${label} "${key}" is used twice` });
    seen.add(key);
  });
}

export const VariableMappings = z
  .array(VariableMapping)
  .max(10, 'At most 10 variables can be mapped')
  .superRefine((mappings, ctx) =>
    addDuplicateIssues(mappings, (m) => m.variable, ctx, 'Variable', (i) => [i, 'variable']),
  );
export type VariableMappings = z.infer<typeof VariableMappings>;

export { Tag };
export const TagList = z.array(Tag).min(1, 'Choose at least one tag').max(50, 'At most 50 tags');
