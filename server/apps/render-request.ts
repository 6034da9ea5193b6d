import { ACTION_PLACEHOLDER, type ActionRequest } from '../../lib/contracts/apps';
import { cleanHeaderValue, renderUrlTemplate } from '../../lib/workflow/outbound-templates';
import { toText } from '../../lib/workflow/template';

/** What `{{auth.x}}` and `{{input.y}}` read: the installation's auth values and the step's inputs. */
export interface ActionScope {
  auth: Record<string, unknown>;
  input: Record<string, unknown>;
}

export interface RenderedRequest {
  method: ActionRequest['method'];
  url: string;
  headers: Record<string, string>;
  /** JSON text, or undefined when the action sends no body. */
  body: string | undefined;
  /** Placeholders that had no value (rendered empty / null). */
  missing: string[];
  /** Why the URL must not be called (a value would have moved it to another path). */
  refused?: string;
  /** Headers whose rendered value lost line breaks or control characters. */
  cleanedHeaders: string[];
}

const lookup = (scope: ActionScope, root: string, key: string): unknown => {
  const bag = root === 'auth' ? scope.auth : scope.input;
  return Object.hasOwn(bag, key) ? bag[key] : undefined;
};

function valueText(scope: ActionScope, missing: string[], whole: string, root: string, key: string): string {
  const value = lookup(scope, root, key);
  if (value === undefined || value === null) {
    if (!missing.includes(whole)) missing.push(whole);
    return '';
  }
  return toText(value);
}

function renderText(template: string, scope: ActionScope, missing: string[]): string {
  return template.replace(ACTION_PLACEHOLDER, (whole, root: string, key: string) => valueText(scope, missing, whole, root, key));
}

const SINGLE = /^\s*\{\{\s*(auth|input)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$/;

function renderBody(value: unknown, scope: ActionScope, missing: string[]): unknown {
  if (typeof value === 'string') {
    // One placeholder alone keeps the value's own type (a number auth value stays a number).
    const single = SINGLE.exec(value);
    if (single) {
      const found = lookup(scope, single[1]!, single[2]!);
      if (found === undefined || found === null) {
        if (!missing.includes(value.trim())) missing.push(value.trim());
        return null;
      }
      return found;
    }
    return renderText(value, scope, missing);
  }
  if (Array.isArray(value)) return value.map((v) => renderBody(v, scope, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderBody(v, scope, missing)]));
  }
  return value;
}

/**
 * Fills an action's packaged request. In the URL a value is percent-encoded unless its placeholder
 * opens the URL (then it is a base URL such as `{{auth.baseUrl}}`); header values lose line breaks.
 */
export function renderActionRequest(request: ActionRequest, scope: ActionScope): RenderedRequest {
  const missing: string[] = [];
  const rendered = renderUrlTemplate(request.url, new RegExp(ACTION_PLACEHOLDER.source, 'g'),
    ([whole, root = '', key = '']) => valueText(scope, missing, whole, root, key));
  const headers: Record<string, string> = {};
  const cleanedHeaders: string[] = [];
  for (const [name, template] of Object.entries(request.headers)) {
    const { value, cleaned } = cleanHeaderValue(renderText(template, scope, missing));
    if (cleaned) cleanedHeaders.push(name);
    headers[name.toLowerCase()] = value;
  }
  const body = request.body === undefined ? undefined : JSON.stringify(renderBody(request.body, scope, missing));
  return { method: request.method, url: rendered.url.trim(), headers, body, missing, cleanedHeaders, ...(rendered.refused ? { refused: rendered.refused } : {}) };
}
