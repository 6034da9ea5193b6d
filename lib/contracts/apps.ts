import { z } from 'zod';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { Scope } from './scopes';
import { E164, Email, unknownKeys } from './common';
import { addDuplicateIssues, JsonKey, VariableName } from './workflow-primitives';
import { HTTP_METHODS } from './steps';
import { AppDelivery, Installation } from './app-install';
import { addManifestRefusals, strictObjectOf, type ObjectOf } from './app-manifest-refusals';
import { type AllowedHost, MediaKey } from './app-media-url';
import { jsonItemText } from './app-json-item';

export * from './app-install';

// Mini-app manifests (DESIGN §9). Everything a user sees before installing an app, what the app
// may do with its key, the data its triggers carry and the requests its actions send.

export const AppKey = z
  .string()
  .trim()
  .min(2, 'An app key has at least 2 characters')
  .max(64, 'An app key has at most 64 characters')
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'Use lower-case letters, digits, - and _ (a slug such as "payments")');

const ItemKey = z
  .string()
  .trim()
  .min(1, 'Enter a key')
  .max(30, 'A key has at most 30 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Use letters, digits and _ only, not starting with a digit');

const Label = z.string().trim().min(1, 'Enter a label').max(100, 'A label has at most 100 characters');
const HttpsUrl = z.url({ protocol: /^https$/, error: 'Use an https:// URL' }).max(2000);
const HttpUrl = z.url({ protocol: /^https?$/, error: 'Use an http:// or https:// URL' }).max(2000);

/**
 * z.json() behind a depth check: z.json() validates recursively, so a value nested a few thousand
 * levels deep would overflow the stack (a 500) instead of being refused with a reason. Checked
 * through z.custom, not piped: z.json()'s recursive JSON Schema came out of /docs/json as a
 * `$ref` to a component it never wrote (`schema0`), which openapi-generator and ajv refuse.
 */
const JSON_VALUE = z.json();
const boundedJson = (what: string) => z
  .unknown()
  .refine((v) => !nestsDeeperThan(v, MAX_JSON_DEPTH), { message: `${what} nests more than ${MAX_JSON_DEPTH} levels deep; flatten it`, abort: true })
  .pipe(z.custom<z.output<typeof JSON_VALUE>>((v) => JSON_VALUE.safeParse(v).success, `${what} must be a JSON value`))
  .describe('Any JSON value');

/**
 * `secret`: a short text such as an API token, typed in a password field on install and never
 * shown again (no answer of the companion carries auth values); otherwise as `string`.
 */
export const AUTH_INPUT_TYPES = ['string', 'text', 'number', 'checkbox', 'secret'] as const;
export const APP_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'datetime', 'json'] as const;
export const MAX_TRIGGER_ITEMS = 100;
export const MAX_APP_FIELDS = 200;

/** `{{auth.accountId}}`, `{{input.orderId}}`: the only placeholders a packaged request may hold. */
export const ACTION_PLACEHOLDER = /\{\{\s*(auth|input)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ANY_PLACEHOLDER = /\{\{([^}]*)\}\}/g;

/** The manifest's schemas, each object made by `object` (lenient for stored manifests, strict for new ones). */
function manifestSchemas(object: ObjectOf) {
  /**
   * `secret`: a short text such as an API token, typed in a password field on install and never
   * shown again (no answer of the companion carries auth values); otherwise as `string`.
   */
  const AuthInput = object({
    key: ItemKey,
    label: Label,
    type: z.enum(AUTH_INPUT_TYPES),
    required: z.boolean().default(false),
    maxLength: z.number().int().min(1).max(10_000).optional(),
  }, 'an auth input');

  const AppField = object({ key: ItemKey, label: Label, type: z.enum(APP_FIELD_TYPES) }, 'a field');

  const AppTrigger = object({
    key: ItemKey,
    name: Label,
    /** Field keys; each must be one of the manifest's fields. */
    items: z.array(ItemKey).max(MAX_TRIGGER_ITEMS, `A trigger carries at most ${MAX_TRIGGER_ITEMS} items; package the rest in one json field`).default([]),
  }, 'a trigger');

  const ActionRequest = object({
    method: z.enum(HTTP_METHODS),
    /** May start with a placeholder (`{{auth.baseUrl}}/refunds`); checked again once rendered. */
    url: z
      .string()
      .trim()
      .min(1, 'Enter a URL')
      .max(2000)
      .regex(/^(https?:\/\/|\{\{)/i, 'The URL must start with http:// or https://'),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'Not a valid header name'), z.string().max(2000))
      .default({})
      .refine((h) => Object.keys(h).length <= 10, 'At most 10 headers'),
    /** Any JSON value; its strings are templates. A string that is one placeholder keeps the value's type. */
    body: boundedJson('The request body').optional(),
    timeoutMs: z.number().int().min(100, 'At least 100 ms').max(30_000, 'At most 30 seconds').default(10_000),
  }, 'a request');

  const ActionInput = object({ key: ItemKey, label: Label, required: z.boolean().default(false) }, 'an action input');
  const ActionOutput = object({ variable: VariableName, jsonKey: JsonKey }, 'an action output');

  const AppAction = object({
    key: ItemKey,
    name: Label,
    inputs: z.array(ActionInput).max(30).default([]),
    request: ActionRequest,
    outputs: z.array(ActionOutput).max(10, 'At most 10 outputs').default([]),
  }, 'an action');

  const AppManifest = object({
    key: AppKey,
    name: Label,
    description: z.string().trim().max(2000).default(''),
    logoUrl: HttpsUrl.optional(),
    coverUrl: HttpsUrl.optional(),
    videoUrl: HttpsUrl.optional(),
    scopes: z.array(Scope).default([]),
    authInputs: z.array(AuthInput).max(30).default([]),
    fields: z.array(AppField).max(MAX_APP_FIELDS, `An app has at most ${MAX_APP_FIELDS} fields`).default([]),
    triggers: z.array(AppTrigger).max(50).default([]),
    actions: z.array(AppAction).max(50).default([]),
    subscribeUrl: HttpUrl.optional(),
    unsubscribeUrl: HttpUrl.optional(),
  }, 'a manifest')
    .superRefine((m, ctx) => {
      addDuplicateIssues(m.scopes, (s) => s, ctx, 'Scope', (i) => ['scopes', i]);
      addDuplicateIssues(m.authInputs, (a) => a.key, ctx, 'Auth input', (i) => ['authInputs', i, 'key']);
      addDuplicateIssues(m.fields, (f) => f.key, ctx, 'Field', (i) => ['fields', i, 'key']);
      addDuplicateIssues(m.triggers, (t) => t.key, ctx, 'Trigger', (i) => ['triggers', i, 'key']);
      addDuplicateIssues(m.actions, (a) => a.key, ctx, 'Action', (i) => ['actions', i, 'key']);
      const fieldKeys = m.fields.map((f) => f.key);
      const existing = fieldKeys.length ? fieldKeys.map((k) => `"${k}"`).join(', ') : 'none (declare them under "fields")';
      m.triggers.forEach((trigger, t) => {
        addDuplicateIssues(trigger.items, (i) => i, ctx, 'Item', (i) => ['triggers', t, 'items', i]);
        trigger.items.forEach((item, i) => {
          if (!fieldKeys.includes(item)) {
            ctx.addIssue({
              code: 'custom',
              path: ['triggers', t, 'items', i],
              message: `Trigger "${trigger.key}" item "${item}" is not a field of this app; fields are never created implicitly. Existing fields: ${existing}`,
            });
          }
        });
      });
      const authKeys = m.authInputs.map((a) => a.key);
      m.actions.forEach((action, a) => {
        addDuplicateIssues(action.inputs, (i) => i.key, ctx, 'Input', (i) => ['actions', a, 'inputs', i, 'key']);
        addDuplicateIssues(action.outputs, (o) => o.variable, ctx, 'Output variable', (i) => ['actions', a, 'outputs', i, 'variable']);
        const inputKeys = action.inputs.map((i) => i.key);
        for (const [where, template] of requestTemplates(action.request)) {
          for (const problem of placeholderProblems(template, authKeys, inputKeys)) {
            ctx.addIssue({ code: 'custom', path: ['actions', a, 'request', ...where], message: problem });
          }
        }
      });
    });
  return { AuthInput, AppField, AppTrigger, ActionRequest, ActionInput, ActionOutput, AppAction, AppManifest };
}

export const { AuthInput, AppField, AppTrigger, ActionRequest, ActionInput, ActionOutput, AppAction, AppManifest } = manifestSchemas((shape) => z.object(shape));
export type AuthInput = z.infer<typeof AuthInput>;
export type AppField = z.infer<typeof AppField>;
export type AppTrigger = z.infer<typeof AppTrigger>;
export type ActionRequest = z.infer<typeof ActionRequest>;
export type AppAction = z.infer<typeof AppAction>;
export type AppManifest = z.infer<typeof AppManifest>;
export type AppManifestInput = z.input<typeof AppManifest>;

/**
 * A manifest as POST and PUT /apps take it: strict, with what app-manifest-refusals.ts refuses,
 * and an app's API key reaches its server only in the subscribe request, so an app asking for
 * scopes, or firing triggers (which takes its key), needs a subscribeUrl. Only new and
 * changed manifests are held to these: `App.manifest` reads what was stored before the rules.
 * `allowed`: the private media hosts the server's COMPANION_ALLOW_PRIVATE_URLS permits (the
 * server's routes; the options page passes those its apps' `privateMediaShown` are on).
 */
export const appManifestBody = (allowed?: AllowedHost) => manifestSchemas(strictObjectOf).AppManifest.superRefine((m, ctx) => {
  addManifestRefusals(m, ctx, allowed);
  if (m.subscribeUrl) return;
  const needs = [m.scopes.length ? `scopes (${m.scopes.join(', ')})` : '', m.triggers.length ? `triggers (${m.triggers.map((t) => t.key).join(', ')})` : ''].filter(Boolean);
  if (needs.length === 0) return;
  ctx.addIssue({
    code: 'custom',
    path: ['subscribeUrl'],
    message: `An app with ${needs.join(' and ')} needs a subscribeUrl: its API key is sent to the app's server only in the subscribe request on install, and without it the key could never be used`,
  });
});
export const AppManifestBody = appManifestBody();

/** Every template string of a packaged request with where it sits. */
export function requestTemplates(request: ActionRequest): [PropertyKey[], string][] {
  const found: [PropertyKey[], string][] = [[['url'], request.url]];
  for (const [name, value] of Object.entries(request.headers)) found.push([['headers', name], value]);
  const walk = (value: unknown, at: PropertyKey[]) => {
    if (typeof value === 'string') found.push([at, value]);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
  };
  walk(request.body, ['body']);
  return found;
}

function placeholderProblems(template: string, authKeys: string[], inputKeys: string[]): string[] {
  const problems: string[] = [];
  for (const [whole, inner = ''] of template.matchAll(ANY_PLACEHOLDER)) {
    const match = /^\s*(auth|input)\.([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(inner);
    if (!match) {
      problems.push(`${whole} is not a placeholder of a packaged request; use {{auth.<key>}} or {{input.<key>}}`);
      continue;
    }
    const [, root, key = ''] = match;
    const known = root === 'auth' ? authKeys : inputKeys;
    if (!known.includes(key)) {
      const what = root === 'auth' ? 'auth input' : 'input of this action';
      problems.push(`${whole} names no ${what}; existing: ${known.length ? known.join(', ') : 'none'}`);
    }
  }
  return problems;
}

/** The zod schema of one app's authValues: types, required, maxLength; unknown keys refused. */
export function authValuesSchema(inputs: readonly AuthInput[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const input of inputs) {
    const typeError = (what: string) => (issue: { input?: unknown }) =>
      (issue.input === undefined || issue.input === null ? `${input.label} is required` : `${input.label} ${what}`);
    let schema: z.ZodType;
    if (input.type === 'number') schema = z.number({ error: typeError('must be a number') });
    else if (input.type === 'checkbox') {
      schema = input.required
        ? z.literal(true, { error: (i) => (i.input === false ? `${input.label} must be checked` : typeError('must be true or false')(i)) })
        : z.boolean({ error: typeError('must be true or false') });
    } else {
      let s = z.string({ error: typeError('must be text') }).trim();
      if (input.required) s = s.min(1, `${input.label} is required`);
      if (input.maxLength) s = s.max(input.maxLength, `${input.label} has at most ${input.maxLength} characters`);
      schema = s;
    }
    shape[input.key] = input.required ? schema : schema.nullable().optional();
  }
  return z.strictObject(shape, { error: (i) => (i.code === 'unrecognized_keys' ? `Unknown auth input(s): ${i.keys.join(', ')}` : undefined) });
}

/** The zod schema of a trigger's items from the app's field types; unknown items are an error. */
export function triggerItemsSchema(trigger: AppTrigger, fields: readonly AppField[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const key of trigger.items) {
    const field = fields.find((f) => f.key === key);
    if (!field) continue; // the manifest contract already refuses this
    shape[key] = fieldValueSchema(field).nullable().optional();
  }
  return z.strictObject(shape, {
    error: (i) => (i.code === 'unrecognized_keys'
      ? `Trigger "${trigger.key}" has no item(s) ${i.keys.join(', ')}; its items are ${trigger.items.join(', ') || 'none'}`
      : undefined),
  });
}

function fieldValueSchema(field: AppField): z.ZodType {
  switch (field.type) {
    // The max's own message: without one it would say the type's ("must be text").
    case 'text': return z.string({ error: `${field.key} must be text` })
      .max(10_000, { error: (i) => `${field.key} is too long: at most 10,000 characters (this one has ${String(i.input).length.toLocaleString('en')})` });
    case 'number': return z.number({ error: `${field.key} must be a number` });
    case 'boolean': return z.boolean({ error: `${field.key} must be true or false` });
    case 'date': return z.iso.date({ error: `${field.key} must be a date as YYYY-MM-DD` });
    case 'datetime': return z.iso.datetime({ offset: true, error: `${field.key} must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z` });
    // Any JSON value: one item carrying many values at once (`{{$trigger.order.total}}`), or a string holding it.
    case 'json': return jsonItemText(field.key).pipe(boundedJson(field.key));
  }
}

export const App = z.object({
  id: z.string(),
  key: AppKey,
  manifest: AppManifest,
  createdAt: z.string(),
  installation: Installation.nullable(),
  /** Requests to the app's server still undelivered, oldest first: what the admin may need to fix. */
  deliveries: z.array(AppDelivery).default([]),
  forgottenSecrets: z.array(z.enum(['signingSecret', 'authValues'])).optional()
    .describe('Present when `npm run forget-secrets` forgot what the server\'s lost secret key sealed: `signingSecret` (nothing is sent to the app until POST /apps/{id}/signing-secret/rotate gives a new one), `authValues` (the values entered on install: PUT /apps/{id}/install/auth-values takes them again)'),
  privateMediaShown: z.array(MediaKey).optional()
    .describe('The manifest\'s media (logoUrl, coverUrl, videoUrl) on a private or local-network host that the server\'s COMPANION_ALLOW_PRIVATE_URLS permits: the options page loads these; other private media it leaves out, and PUT /apps/{id} refuses them'),
});
export type App = z.infer<typeof App>;
export const AppList = z.object({ apps: z.array(App) });

/** POST /apps answer: the signing secret is shown this once, for the app's server to verify requests. */
export const AppRegistered = z.object({ app: App, signingSecret: z.string() });

/**
 * Exactly one of id, phone or email. One object rather than a union of three, so a bad phone is
 * refused as what it is (`contact.phone`: "Start with + and the country code…"), as a bad email is.
 */
export const ContactRef = z.strictObject({
  id: z.string().trim().min(1, 'Give the contact\'s id').max(64, 'A contact id has at most 64 characters').optional(),
  phone: E164.optional(),
  email: Email.optional(),
}, unknownKeys('identify the contact by one of id, phone or email')).superRefine((ref, ctx) => {
  const given = Object.keys(ref);
  if (given.length === 1) return;
  ctx.addIssue({
    code: 'custom',
    message: `Identify the contact by exactly one of { id }, { phone } or { email }${given.length ? ` (this gives ${given.join(' and ')})` : ''}`,
  });
}).describe('Exactly one of id, phone (international format; without the country code when the workspace has a default country, read as a number of that country) or email');
export type ContactRef = z.infer<typeof ContactRef>;

export const FireTriggerBody = z.strictObject({
  contact: ContactRef,
  items: z.record(z.string(), z.unknown()).default({})
    .describe('The trigger\'s items by key, each typed by its app field; a json item takes the value itself or a string holding it as JSON (text that is not JSON is a 422)'),
}, unknownKeys('a trigger is fired with contact and items, e.g. {"contact": {"phone": "+14155550123"}, "items": {"status": "paid"}}'));
export type FireTriggerBody = z.infer<typeof FireTriggerBody>;
/**
 * A key without `contacts.read` must not learn whether a contact exists: it gets `eventId: null`
 * and no run ids (and no notes), whether or not the contact was found (and the trigger fired).
 * `notes`, as a webhook's 202 has them: why the contact got no run (the event's note).
 */
export const FireTriggerResult = z.object({
  eventId: z.string().nullable(),
  runIds: z.array(z.string()),
  notes: z.array(z.string()).optional()
    .describe('Why the contact got no run (left out when it got every one), naming the workflow and the contact as you know them, not by our ids: e.g. "once per contact: Maria Lopez (+34600111222) was already enrolled in workflow \"On paid\", so it did not start again", or on Fire Trigger that no published workflow uses the trigger ("No published workflow uses trigger \"paid\" (Paid) of app \"Payments\"; no run started: …"). Never sent to a key without contacts.read'),
});

/** POST /workflows/:id/start (scope `workflows.start`): the variables reach `{{$trigger.<name>}}`. */
export const StartWorkflowBody = z.strictObject({
  contact: ContactRef,
  variables: z.record(VariableName, z.union([
    z.string().max(10_000, { error: (i) => `A variable has at most 10,000 characters (this one has ${String(i.input).length.toLocaleString('en')})` }),
    z.number(), z.boolean(), z.null(),
  ], { error: (i) => (i.code === 'invalid_union'
    ? `A variable holds text, a number, true/false or null, not ${Array.isArray(i.input) ? 'a list' : 'an object'}: send each value as a variable of its own`
    : undefined) }), { error: (i) => (i.code === 'invalid_key'
    ? `"${String(i.input)}" is not a variable name: ${i.issues[0]?.message ?? 'use letters, digits and _'}` : undefined) })
    .refine((v) => Object.keys(v).length <= 30, 'At most 30 variables')
    .default({}),
}, unknownKeys('a workflow is started with contact and variables, e.g. {"contact": {"phone": "+14155550123"}, "variables": {"orderId": "A1"}}'));
export type StartWorkflowBody = z.infer<typeof StartWorkflowBody>;

