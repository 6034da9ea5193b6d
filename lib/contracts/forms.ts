import { z } from 'zod';
import { addDuplicateIssues, VariableName } from './workflow-primitives';

export const FORM_FIELD_TYPES = ['text', 'list', 'checkbox', 'number', 'date', 'time', 'phone', 'email', 'url'] as const;
export const FormFieldType = z.enum(FORM_FIELD_TYPES);
export type FormFieldType = z.infer<typeof FormFieldType>;

export const FormField = z
  .object({
    id: z.string().min(1).max(100).optional(),
    label: z.string().trim().min(1, 'Give the field a label').max(80, 'A label has at most 80 characters'),
    type: FormFieldType,
    variable: VariableName,
    required: z.boolean().default(false),
    options: z
      .array(z.string().trim().min(1, 'An option cannot be empty').max(100, 'An option has at most 100 characters'))
      .max(50, 'At most 50 options')
      .optional(),
    placeholder: z.string().max(120, 'A placeholder has at most 120 characters').optional(),
  })
  .superRefine((field, ctx) => {
    if (field.type !== 'list') return;
    if (!field.options || field.options.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'A list needs at least one option' });
      return;
    }
    addDuplicateIssues(field.options, (o) => o, ctx, 'Option', (i) => ['options', i]);
  });
export type FormField = z.infer<typeof FormField>;
export type FormFieldInput = z.input<typeof FormField>;

export const FormDefinition = z.object({
  fields: z
    .array(FormField)
    .max(20, 'A form has at most 20 fields')
    .superRefine((fields, ctx) =>
      addDuplicateIssues(fields, (f) => f.variable, ctx, 'Variable', (i) => [i, 'variable']),
    ),
});
export type FormDefinition = z.infer<typeof FormDefinition>;

/**
 * `$trigger.*` names a shortcut run fills itself (the dispatcher sets them after the form's values),
 * so a form field named so would be overwritten without a word. Refused at publish
 * (validate-workflow.ts), not here: stored workflows that use them still parse and open.
 */
export const BUILT_IN_SHORTCUT_VARIABLES = {
  launchedBy: "the launching agent's user id",
  launchedByName: "the launching agent's name",
} as const;

/** Why a form field may not use this variable name (undefined: it may). */
export function reservedVariableProblem(variable: string): string | undefined {
  if (!Object.hasOwn(BUILT_IN_SHORTCUT_VARIABLES, variable)) return undefined;
  const holds = BUILT_IN_SHORTCUT_VARIABLES[variable as keyof typeof BUILT_IN_SHORTCUT_VARIABLES];
  return `"${variable}" is taken by the built-in variable {{$trigger.${variable}}} (${holds}): pick another name`;
}
