export interface ServerErrorDetail { path: string; message: string }

/**
 * The server's 422 details (`values.<variable>`, as zod paths are reported) keyed by variable;
 * details that name no field of the form are returned apart, to be shown above the form.
 */
export function splitServerErrors(details: readonly ServerErrorDetail[] | undefined, variables: readonly string[]) {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const d of details ?? []) {
    const parts = d.path.split(/[./]/).filter(Boolean);
    const variable = parts[0] === 'values' ? parts[1] : parts[0];
    if (variable && variables.includes(variable)) byField[variable] ??= d.message;
    else general.push(d.message);
  }
  return { byField, general };
}
