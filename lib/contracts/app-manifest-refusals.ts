import { z } from 'zod';
import type { AppManifest } from './apps';
import { type AllowedHost, MEDIA_KEYS, privateMediaUrlProblem } from './app-media-url';
import { APP_INSTALLATION_HEADER } from './app-install';

// What a new or changed manifest (POST and PUT /apps, the app builder) may not hold although a
// stored one is still read with it: a key the contract does not take, names that hide
// characters, keys every object already has, media on private addresses, a packaged request
// that would not go out as written.

export type ObjectOf = <S extends z.core.$ZodLooseShape>(shape: S, what: string) => z.ZodObject<S>;

/**
 * A key the manifest does not take is refused where a manifest comes in (POST and PUT /apps, the
 * app builder's JSON): dropped, `"logo"` for `logoUrl` registered the app without its logo and a
 * 201 said nothing. Stored manifests are read leniently, as they always were. Typed as the
 * lenient object: the two differ only in refusing what the other drops.
 */
export const strictObjectOf: ObjectOf = (shape, what) => z.strictObject(shape, {
  error: (issue) => (issue.code === 'unrecognized_keys' ? unknownManifestKeys(issue.keys, Object.keys(shape), what) : undefined),
}) as unknown as z.ZodObject<typeof shape>;

function unknownManifestKeys(keys: readonly string[], takes: readonly string[], what: string): string {
  const plain = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');
  const hints = keys.flatMap((k) => {
    const near = takes.find((t) => plain(k).length > 2 && (plain(t).startsWith(plain(k)) || plain(k).startsWith(plain(t))));
    return near ? [`for "${k}", did you mean "${near}"?`] : [];
  });
  return `Unknown ${keys.length === 1 ? 'key' : 'keys'} ${keys.map((k) => `"${k}"`).join(', ')}: ${what} takes ${takes.join(', ')}`
    + `${hints.length ? ` (${hints.join('; ')})` : ''}. Rename or remove ${keys.length === 1 ? 'it' : 'them'}: nothing unknown is kept`;
}

/**
 * Keys that name values (`$trigger.<item>`, `{{auth.<key>}}`, `{{input.<key>}}`) read from plain
 * objects: an item called `constructor` left out of a Fire Trigger was read as Object's own
 * `constructor` ("constructor must be text"), and `__proto__` cannot be an own key at all.
 */
const RESERVED_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));
function manifestKeys(m: AppManifest): [PropertyKey[], string][] {
  return [
    ...m.authInputs.map((a, i): [PropertyKey[], string] => [['authInputs', i, 'key'], a.key]),
    ...m.fields.map((f, i): [PropertyKey[], string] => [['fields', i, 'key'], f.key]),
    ...m.triggers.map((t, i): [PropertyKey[], string] => [['triggers', i, 'key'], t.key]),
    ...m.actions.flatMap((a, i): [PropertyKey[], string][] => [
      [['actions', i, 'key'], a.key],
      ...a.inputs.map((input, j): [PropertyKey[], string] => [['actions', i, 'inputs', j, 'key'], input.key]),
    ]),
  ];
}

/**
 * The names and labels an admin reads on the options page, in pickers and in error messages. A
 * right-to-left override shows "Pay\u202eyap" as something else, a newline or NUL breaks the one
 * line a name is shown on: control characters and text-direction controls are refused (the
 * description may hold line breaks and tabs).
 */
function manifestTexts(m: AppManifest): [PropertyKey[], string, boolean][] {
  const one = (path: PropertyKey[], text: string): [PropertyKey[], string, boolean] => [path, text, false];
  return [
    one(['name'], m.name),
    [['description'], m.description, true],
    ...m.authInputs.map((a, i) => one(['authInputs', i, 'label'], a.label)),
    ...m.fields.map((f, i) => one(['fields', i, 'label'], f.label)),
    ...m.triggers.map((t, i) => one(['triggers', i, 'name'], t.name)),
    ...m.actions.flatMap((a, i) => [one(['actions', i, 'name'], a.name), ...a.inputs.map((input, j) => one(['actions', i, 'inputs', j, 'label'], input.label))]),
  ];
}

const HIDDEN = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const HIDDEN_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function hiddenCharacterProblem(text: string, multiline: boolean): string | undefined {
  const c = (multiline ? HIDDEN_BUT_LINES : HIDDEN).exec(text)?.[0];
  if (c === undefined) return undefined;
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const what = /\p{Cc}/u.test(c) ? (c === '\n' || c === '\r' ? 'a line break' : 'a control character') : 'a text-direction control';
  return `Holds ${code} (${what}), which shows as something else or nothing at all${multiline ? '' : ' in a one-line name'}; remove it`;
}

/**
 * Headers every action call carries with the companion's own value (run-action.ts), which a
 * manifest's header of that name never replaced: the app's server got something else than its
 * manifest said, and the 201 said nothing. Lower case: header names match in any case.
 */
const COMPANION_HEADERS: Record<string, string> = {
  'user-agent': 'InboxCompanion-MiniApp/1',
  'idempotency-key': 'the run and step, the same on every retry of one call',
  'webhook-id': 'the Standard Webhooks signature',
  'webhook-timestamp': 'the Standard Webhooks signature',
  'webhook-signature': 'the Standard Webhooks signature',
  [APP_INSTALLATION_HEADER.toLowerCase()]: 'the id of the installation calling, as its subscribe request gave it',
};

/**
 * Marks a header's issue that is about its name although its path (`headers.<name>`) is the one
 * the header's value problems have too: the app builder shows it under the name input, not the value.
 */
export const ABOUT_HEADER_NAME = { about: 'header name' } as const;

type Problem = [PropertyKey[], string, typeof ABOUT_HEADER_NAME?];

/** A packaged request's problems a developer would otherwise find only on the app's server. */
function requestProblems(m: AppManifest): Problem[] {
  return m.actions.flatMap((action, a) => {
    const at = ['actions', a, 'request'];
    const { method, headers, body } = action.request;
    const found: Problem[] = [];
    // As the HTTP request step refuses it: servers and proxies drop or refuse a GET's body.
    if (method === 'GET' && body !== undefined) found.push([[...at, 'body'], 'A GET request cannot have a body: put the values in the URL (e.g. ?orderId={{input.orderId}}) or use POST']);
    for (const name of Object.keys(headers)) {
      const lower = name.toLowerCase();
      const ours = Object.hasOwn(COMPANION_HEADERS, lower) ? COMPANION_HEADERS[lower] : lower === 'content-type' && body !== undefined ? 'application/json: the body is sent as JSON' : undefined;
      if (ours) found.push([[...at, 'headers', name], `The companion sets ${name} on every action call (${ours}), so this value would never be sent; remove it`, ABOUT_HEADER_NAME]);
    }
    return found;
  });
}

/** `maxLength` limits typed text; on a number or a checkbox it was taken and never checked. */
const lengthProblems = (m: AppManifest): [PropertyKey[], string][] => m.authInputs.flatMap((a, i): [PropertyKey[], string][] =>
  (a.maxLength !== undefined && (a.type === 'number' || a.type === 'checkbox')
    ? [[['authInputs', i, 'maxLength'], `maxLength limits text inputs (string, text, secret); a ${a.type} has no length, so it would never be checked: remove it`]] : []));

/** The issues of a parsed manifest that the lenient contract lets through; `allowed`: the private media hosts the server's allow-list permits. */
export function addManifestRefusals(m: AppManifest, ctx: z.RefinementCtx, allowed?: AllowedHost): void {
  for (const [path, text, multiline] of manifestTexts(m)) {
    const problem = hiddenCharacterProblem(text, multiline);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
  }
  for (const [path, key] of manifestKeys(m)) {
    if (RESERVED_KEYS.has(key)) ctx.addIssue({ code: 'custom', path, message: `"${key}" is a name every JavaScript object already has, so its value could never be told apart from it; use another key, e.g. "${key.replace(/^_+|_+$/g, '')}_value"` });
  }
  for (const [path, message, params] of [...requestProblems(m), ...lengthProblems(m)]) ctx.addIssue({ code: 'custom', path, message, ...(params ? { params } : {}) });
  for (const key of MEDIA_KEYS) {
    const problem = m[key] === undefined ? undefined : privateMediaUrlProblem(m[key], allowed);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
  }
}
