import type { z } from 'zod';
import { ABOUT_HEADER_NAME } from '../../../lib/contracts/app-manifest-refusals';
import { AppManifestBody, type AppManifest } from '../../../lib/contracts/apps';
import { issuesToMap, PLAIN_ERRORS, type ErrorMap } from '../error-paths';
import { itemKey, manifestFromDraft, type Draft } from './draft';

/**
 * The draft checked with the contract POST and PUT /apps apply (one schema: the server's own
 * refusals say the same; `body`: with the private media hosts it allows). `data` is the body to
 * send once nothing is wrong.
 */
export function checkDraft(draft: Draft, body: typeof AppManifestBody = AppManifestBody): { manifest: Record<string, unknown>; errors: ErrorMap; data?: AppManifest } {
  const { manifest, problems } = manifestFromDraft(draft);
  const parsed = body.safeParse(manifest, PLAIN_ERRORS);
  const errors = onInputs({ ...(parsed.success ? {} : issuesToMap(plainIssues(parsed.error.issues))), ...problems }, draft);
  return { manifest, errors, ...(parsed.success && Object.keys(problems).length === 0 ? { data: parsed.data } : {}) };
}

/**
 * A header's problems split between its two inputs: a bad name (zod says only "Invalid key in
 * record", its reason is inside) or a name the companion sets itself on the name, a bad
 * placeholder in the value on the value (both share the path `headers.<name>`).
 */
export function plainIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.map((issue) => {
    if (issue.code === 'invalid_key') return { ...issue, message: issue.issues[0]?.message ?? issue.message };
    if (issue.code === 'custom' && issue.params?.about === ABOUT_HEADER_NAME.about) return issue;
    const [root, , request, headers] = issue.path;
    if (root === 'actions' && request === 'request' && headers === 'headers' && issue.path.length === 5) return { ...issue, path: [...issue.path, 'value'] };
    return issue;
  });
}

/**
 * Problems keyed by the input that shows them: anything inside a request body on the body's
 * text area; an item with no field chosen says so rather than the contract's "Enter a key".
 */
export function onInputs(errors: ErrorMap, draft: Draft): ErrorMap {
  const placed: ErrorMap = {};
  for (const [path, message] of Object.entries(errors)) {
    const body = /^(actions\.\d+\.request\.body)\./.exec(path);
    const item = /^triggers\.(\d+)\.items\.(\d+)$/.exec(path);
    const row = item && draft.triggers[Number(item[1])]?.items[Number(item[2])];
    if (body?.[1]) placed[body[1]] ??= message;
    else if (row && itemKey(row, draft.fields) === '') placed[path] ??= 'Choose an app field';
    else placed[path] ??= message;
  }
  return placed;
}
