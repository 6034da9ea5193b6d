// A WhatsApp template's body as the customer reads it, from the body Meta lists ({{1}} or
// {{first_name}} placeholders) and the values given: the inbox's template picker previews it while
// the agent types, and the server stores it as the sent message's text, so both read the same.
// No zod here: the inbox page imports it.

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/gi;

/**
 * The body with each placeholder replaced by its value: positional ones by place ({{1}} is the
 * first), named ones by `parameterNames`. A placeholder without a value (not typed yet) stays as it is.
 */
export function fillTemplateBody(body: string, parameters: readonly string[], parameterNames?: readonly string[] | null): string {
  return body.replace(PLACEHOLDER, (whole, key: string) => {
    const at = /^\d+$/.test(key) ? Number(key) - 1 : (parameterNames ?? []).indexOf(key.toLowerCase());
    const value = at >= 0 ? parameters[at] : undefined;
    return value?.trim() ? value : whole;
  });
}
