import { z } from 'zod';
import { AD_REFERRAL_TRIGGER_VARIABLES } from './ad-referral';
import { ConditionOperator, Logic } from './conditions';
import { ConversationChannel } from './conversation-channels';
import { BUILT_IN_SHORTCUT_VARIABLES, FormDefinition } from './forms';
import { compileJsonPath } from './jsonpath';
import { JsonKey, TagList, VariableMappings } from './workflow-primitives';

// `bot`: a bot user (an AI agent with an API token) opened it. The trigger documentation lists bot
// only for closes; a bot that opens is recorded as such too rather than passing as a person.
export const OPENED_SOURCES = ['user', 'workflow', 'contact', 'api', 'zapier', 'make', 'click_to_chat_ads', 'bot'] as const;
export const OpenedSource = z.enum(OPENED_SOURCES);
export type OpenedSource = z.infer<typeof OpenedSource>;

export const CLOSED_SOURCES = ['user', 'workflow', 'bot', 'api', 'zapier', 'make'] as const;
export const ClosedSource = z.enum(CLOSED_SOURCES);
export type ClosedSource = z.infer<typeof ClosedSource>;

export const TRIGGER_TYPES = [
  'conversation_opened',
  'conversation_closed',
  'contact_tag_updated',
  'contact_field_updated',
  'shortcut',
  'incoming_webhook',
  'click_to_chat_ads',
  'manual',
  'mini_app',
] as const;
export const TriggerType = z.enum(TRIGGER_TYPES);
export type TriggerType = z.infer<typeof TriggerType>;

const MAX_RULES_PER_FIELD = 10;

// Beyond the documented source (and category) rules, where the conversation lives: its channel in
// one word and, for a Chatwoot conversation, its inbox by name (Chatwoot's automations have an
// "Inbox" condition; respond.io's triggers filter by channel). Same limit of 10 per field.
const ChannelRule = z.object({ field: z.literal('channel'), operator: ConditionOperator, value: ConversationChannel });
const InboxRule = z.object({
  field: z.literal('inbox'),
  operator: ConditionOperator,
  value: z.string().trim().min(1, 'Choose an inbox').max(255),
});
const OpenedRule = z.discriminatedUnion('field', [
  z.object({ field: z.literal('source'), operator: ConditionOperator, value: OpenedSource }),
  ChannelRule, InboxRule,
]);
const ClosedRule = z.discriminatedUnion('field', [
  z.object({ field: z.literal('source'), operator: ConditionOperator, value: ClosedSource }),
  z.object({
    field: z.literal('category'),
    operator: ConditionOperator,
    value: z.string().trim().min(1, 'Choose a category').max(100),
  }),
  ChannelRule, InboxRule,
]);

const atMostPerField = (fields: readonly string[]) => (rules: { field: string }[], ctx: z.RefinementCtx) => {
  for (const field of fields) {
    const count = rules.filter((r) => r.field === field).length;
    if (count > MAX_RULES_PER_FIELD) {
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_RULES_PER_FIELD} rules on ${field} (found ${count})` });
    }
  }
};

export const ConversationOpenedConditions = z.object({
  logic: Logic,
  rules: z.array(OpenedRule).superRefine(atMostPerField(['source', 'channel', 'inbox'])),
});
export type ConversationOpenedConditions = z.infer<typeof ConversationOpenedConditions>;

export const ConversationClosedConditions = z.object({
  logic: Logic,
  rules: z.array(ClosedRule).superRefine(atMostPerField(['source', 'category', 'channel', 'inbox'])),
});
export type ConversationClosedConditions = z.infer<typeof ConversationClosedConditions>;

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

export const ShortcutIcon = z
  .string()
  .trim()
  .refine((s) => [...s].length <= 8, 'An icon is a single emoji')
  .refine((s) => EMOJI.test(s) && !/[A-Za-z\s]/.test(s), 'Pick an emoji as the icon');

export const ConversationOpenedTrigger = z.object({
  type: z.literal('conversation_opened'),
  conditions: ConversationOpenedConditions.optional(),
});
export const ConversationClosedTrigger = z.object({
  type: z.literal('conversation_closed'),
  conditions: ConversationClosedConditions.optional(),
});
export const ContactTagUpdatedTrigger = z.object({
  type: z.literal('contact_tag_updated'),
  action: z.enum(['added', 'removed']),
  tags: TagList,
});
/**
 * Contact fields every contact has (not custom field definitions); Contact Field Updated may
 * watch them too. Custom field keys are lowercase, and `email`/`phone` are reserved for these.
 */
export const STANDARD_CONTACT_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'lifecycle'] as const;
export type StandardContactField = (typeof STANDARD_CONTACT_FIELDS)[number];
export const STANDARD_CONTACT_FIELD_LABELS: Record<StandardContactField, string> = {
  firstName: 'First name', lastName: 'Last name', email: 'Email', phone: 'Phone', lifecycle: 'Lifecycle stage',
};
export const isStandardContactField = (key: string): key is StandardContactField =>
  (STANDARD_CONTACT_FIELDS as readonly string[]).includes(key);

export const ContactFieldUpdatedTrigger = z.object({
  type: z.literal('contact_field_updated'),
  field: z.string().trim().min(1, 'Choose a contact field').max(100),
});
export const ShortcutTrigger = z.object({
  type: z.literal('shortcut'),
  icon: ShortcutIcon.default('⚡'),
  name: z.string().trim().min(1, 'Give the shortcut a name').max(60, 'A shortcut name has at most 60 characters'),
  description: z.string().trim().max(200, 'A description has at most 200 characters').default(''),
  form: FormDefinition.default({ fields: [] }),
});
export const WEBHOOK_IDENTIFIER_TYPES = ['contactId', 'phone', 'email'] as const;
/** A path as json-p3 prints it back: `$["a"]['b']` and `$.a.b` are one key. */
const samePath = (jsonKey: string) => {
  const compiled = compileJsonPath(jsonKey);
  return 'query' in compiled ? compiled.query.toString() : jsonKey;
};
/** "The same JSON key cannot be saved twice" (trigger documentation), however it is spelled: both rows are named. */
const WebhookMappings = VariableMappings.superRefine((mappings, ctx) => {
  const firstRow = new Map<string, number>();
  mappings.forEach((m, index) => {
    const key = samePath(m.jsonKey);
    const first = firstRow.get(key);
    if (first === undefined) { firstRow.set(key, index); return; }
    const earlier = mappings[first]!.jsonKey;
    ctx.addIssue({
      code: 'custom', path: [index, 'jsonKey'],
      message: earlier === m.jsonKey
        ? `The JSON key "${m.jsonKey}" is mapped twice (rows ${first + 1} and ${index + 1}); map each key once`
        : `The JSON key "${m.jsonKey}" is the same path as "${earlier}" (rows ${first + 1} and ${index + 1}); map each key once`,
    });
  });
});
export const IncomingWebhookTrigger = z.object({
  type: z.literal('incoming_webhook'),
  identifier: z.object({ type: z.enum(WEBHOOK_IDENTIFIER_TYPES), jsonKey: JsonKey }),
  mappings: WebhookMappings.default([]),
  /** Set by the server; ignored on input. */
  url: z.string().optional(),
  /**
   * Standard Webhooks secret: with one, deliveries must be signed (401 otherwise). Kept sealed and
   * shown to admins. On an edit (PUT), leaving it out keeps the stored secret (as the URL is
   * kept), `null` removes it (unsigned deliveries are accepted again), a value replaces it.
   */
  signingSecret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'A signing secret looks like whsec_ followed by base64')
    .nullable()
    .optional()
    .describe('Standard Webhooks signing secret (whsec_…). On an edit: left out keeps the stored secret, null removes it, a value replaces it.'),
});
export const ClickToChatAdsTrigger = z.object({
  type: z.literal('click_to_chat_ads'),
  adAccountId: z.string().trim().min(1, 'Choose an ad account'),
  adIds: z.array(z.string().trim().min(1)).min(1, 'Choose at least one ad').max(50, 'At most 50 ads'),
});
export const ManualTrigger = z.object({ type: z.literal('manual') });
export const MiniAppTrigger = z.object({
  type: z.literal('mini_app'),
  appId: z.string().trim().min(1, 'Choose an app'),
  triggerKey: z.string().trim().min(1, 'Choose one of the app’s triggers'),
});

export const Trigger = z.discriminatedUnion('type', [
  ConversationOpenedTrigger,
  ConversationClosedTrigger,
  ContactTagUpdatedTrigger,
  ContactFieldUpdatedTrigger,
  ShortcutTrigger,
  IncomingWebhookTrigger,
  ClickToChatAdsTrigger,
  ManualTrigger,
  MiniAppTrigger,
]);
export type Trigger = z.infer<typeof Trigger>;
export type TriggerInput = z.input<typeof Trigger>;
export type TriggerOf<T extends TriggerType> = Extract<Trigger, { type: T }>;

// The one list of what each trigger gives `$trigger.*`: the dispatcher fills exactly these and the
// options page's variable picker offers exactly these. `assigneeId`/`openedBy`/`closedBy`/`changedBy`
// are user ids (a person or a bot) or, for a workflow's change, the workflow id (`changedByType`
// says which: user | bot | workflow | api | zapier | make | contact | …, i.e. the event source).
// `channel` is where the conversation lives: `built_in` or its connection's kind. `inboxName` and
// `channelType` are its Chatwoot inbox and channel in one word (`$conversation.*` says the same, but a
// Closed run has no open conversation to read): null when not known.
const FIXED_TRIGGER_VARIABLES = {
  conversation_opened: ['source', 'conversationId', 'firstIncomingMessage', 'assigneeId', 'channel', 'openedBy', 'inboxName', 'channelType'],
  conversation_closed: [
    'source', 'conversationId', 'category', 'summary', 'resolutionTimeSeconds', 'firstResponseTimeSeconds',
    'assigneeId', 'channel', 'closedBy', 'inboxName', 'channelType',
  ],
  contact_tag_updated: ['tag', 'action', 'changedBy', 'changedByType'],
  contact_field_updated: ['field', 'oldValue', 'newValue', 'changedBy', 'changedByType'],
  // adName: the ads catalog's (Ads Manager) name, else the referral's headline; the rest is Meta's referral (ad-referral.ts).
  click_to_chat_ads: ['adId', 'adName', 'ctwaClid', 'message', ...AD_REFERRAL_TRIGGER_VARIABLES],
} as const;

/**
 * Trigger types whose `$trigger.*` names the trigger itself does not say: a manual run gets its
 * caller's variables (known at run time only); a mini-app trigger gets the items of the app's
 * trigger, which its manifest says (lib/workflow/app-trigger-items.ts): templates are checked
 * against them when the app is known (publishing, the editor), left open otherwise.
 */
export const OPEN_VARIABLE_TRIGGERS: readonly TriggerType[] = ['manual', 'mini_app'];

/** The `$trigger.*` names a trigger provides (DESIGN §5). */
export function triggerVariables(trigger: Trigger): string[] {
  switch (trigger.type) {
    case 'shortcut':
      // launchedBy is the agent's user id (for an API call); launchedByName the name a note reads.
      return [...trigger.form.fields.map((f) => f.variable), ...Object.keys(BUILT_IN_SHORTCUT_VARIABLES)];
    case 'incoming_webhook':
      return trigger.mappings.map((m) => m.variable);
    case 'manual':
    case 'mini_app': // the app's items: appTriggerItems (lib/workflow/app-trigger-items.ts)
      return [];
    default:
      return [...FIXED_TRIGGER_VARIABLES[trigger.type]];
  }
}
