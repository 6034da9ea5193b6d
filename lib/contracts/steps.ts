import { z } from 'zod';
import { VariableConditionGroup } from './conditions';
import { AssignToConfig } from './step-assign-to';
import { metaLength, SEND_BUTTON_TITLE_MAX, SEND_BUTTONS_MAX } from './choice-limits';
import { DateTimeSchedule, TimeZone } from './step-date-time';
import type { StandardContactField } from './triggers';
import { MESSAGE_MEDIA_TYPES, WhatsAppTemplateRef } from './whatsapp-template-ref';
import { TagList, VariableName, VariableMappings } from './workflow-primitives';

// The WhatsApp template a Send message step sends has its own file; its names stay importable from here.
export {
  MESSAGE_MEDIA_TYPES, WhatsAppCarouselCard, WhatsAppTemplateButtonValue, WhatsAppTemplateHeader, WhatsAppTemplateRef,
} from './whatsapp-template-ref';
export { isCoordinate } from './whatsapp-template-values';
// Assign to (one user, or a pick among several) has its own file too.
export { ASSIGN_PICKS, AssignToConfig, assignStepUserIds, MAX_ASSIGN_POOL, UNASSIGN, type AssignPick } from './step-assign-to';

export const StepId = z
  .string()
  .min(1, 'A step needs an id')
  .max(40, 'A step id has at most 40 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'A step id uses letters, digits, _ and - only');
export type StepId = z.infer<typeof StepId>;

/**
 * Where a Branch, Jump to, Date & Time or Ask a Question goes: a step's id, or `$end` to end the
 * workflow there (respond.io's branch with nothing after it). `$` never starts a step id, so no
 * step can take the name.
 */
export const END_WORKFLOW = '$end';
export const StepTarget = z
  .string()
  .min(1, 'A step needs an id')
  .max(40, 'A step id has at most 40 characters')
  .regex(/^(?:\$end|[A-Za-z0-9_-]+)$/, 'Go to a step id (letters, digits, _ and -) or "$end" to end the workflow')
  .describe('A step id of this workflow, or "$end": the run ends there (completed)');

export const STEP_TYPES = [
  'send_message',
  'add_comment',
  'update_contact_tag',
  'update_contact_field',
  'assign_to',
  'open_conversation',
  'close_conversation',
  'branch',
  'wait',
  'jump_to',
  'http_request',
  'trigger_workflow',
  'mini_app_action',
  'date_time',
  'update_lifecycle_stage',
  'ask_question',
] as const;
export const StepType = z.enum(STEP_TYPES);
export type StepType = z.infer<typeof StepType>;

export const MAX_WAIT_SECONDS = 90 * 24 * 60 * 60;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const MessageText = z
  .string()
  .max(4096, 'A message has at most 4096 characters')
  .refine((s) => s.trim().length > 0, 'Write the text to send');

// send_message: plain `{ text }` as before; on a WhatsApp / Messenger conversation it may also
// carry media by link, reply buttons, an approved WhatsApp template, Messenger's messaging type
// and tag, and a fallback template for when Meta's 24-hour window is closed.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
// https://developers.facebook.com/docs/messenger-platform/reference/send-api
export const SEND_MESSAGE_KINDS = ['text', 'media', 'buttons', 'template'] as const;
export const MESSENGER_MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'] as const;
/** Messenger's message tags that allow a message outside the 24-hour window. */
export const MESSENGER_TAGS = ['HUMAN_AGENT', 'ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'] as const;
export const MessageMedia = z.object({
  type: z.enum(MESSAGE_MEDIA_TYPES),
  url: z.string().trim().min(1, 'Enter the link of the file to send').max(2000),
  filename: z.string().max(240).optional(),
});
// Up to 3 buttons of ≤ 20 characters go as WhatsApp reply buttons; more, or longer titles, as a
// list of up to 10 rows of ≤ 24 (as respond.io does), server/channels/button-fit.ts.
export const ReplyButton = z.object({
  title: z.string().trim().min(1, 'Name the button')
    .max(SEND_BUTTON_TITLE_MAX * 16, `A button title has at most ${SEND_BUTTON_TITLE_MAX} characters`)
    .refine((t) => metaLength(t) <= SEND_BUTTON_TITLE_MAX, `A button title has at most ${SEND_BUTTON_TITLE_MAX} characters`),
  payload: z.string().max(256).optional(),
});
export const SendMessageConfig = z.object({
  /** Absent: text (the original shape). */
  kind: z.enum(SEND_MESSAGE_KINDS).optional(),
  /** The message; with media it is the caption; with buttons the body above them. */
  text: z.string().max(4096, 'A message has at most 4096 characters').optional(),
  media: MessageMedia.optional(),
  buttons: z.array(ReplyButton).min(1, 'Add at least one button').max(SEND_BUTTONS_MAX, `At most ${SEND_BUTTONS_MAX} buttons (more than 3 go as a WhatsApp list)`).optional(),
  template: WhatsAppTemplateRef.optional(),
  /** Sent instead on WhatsApp when the 24-hour window is closed (without it the step fails). */
  fallbackTemplate: WhatsAppTemplateRef.optional(),
  messenger: z.object({ messagingType: z.enum(MESSENGER_MESSAGING_TYPES), tag: z.enum(MESSENGER_TAGS).optional() }).optional(),
}).superRefine((c, ctx) => {
  const kind = c.kind ?? 'text';
  const blank = (c.text ?? '').trim() === '';
  if ((kind === 'text' || kind === 'buttons') && blank) ctx.addIssue({ code: 'custom', path: ['text'], message: 'Write the text to send' });
  if (kind === 'media' && !c.media) ctx.addIssue({ code: 'custom', path: ['media', 'url'], message: 'Enter the link of the file to send' });
  if (kind === 'buttons' && !c.buttons?.length) ctx.addIssue({ code: 'custom', path: ['buttons'], message: 'Add at least one button' });
  if (kind === 'template' && !c.template) ctx.addIssue({ code: 'custom', path: ['template', 'name'], message: 'Enter the approved template’s name' });
  if (c.messenger?.messagingType === 'MESSAGE_TAG' && !c.messenger.tag) ctx.addIssue({ code: 'custom', path: ['messenger', 'tag'], message: 'Choose the message tag' });
});
export type SendMessageConfigValue = z.infer<typeof SendMessageConfig>;
export const AddCommentConfig = z.object({ text: MessageText });
export const UpdateContactTagConfig = z.object({ action: z.enum(['add', 'remove']), tags: TagList });
/**
 * The contact's own fields that Update Contact Field and Ask a Question may write besides custom
 * fields, read and checked as the contacts API reads them (lifecycle has a step of its own).
 */
export const WRITABLE_STANDARD_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const satisfies readonly StandardContactField[];
export type WritableStandardField = (typeof WRITABLE_STANDARD_FIELDS)[number];
export const isWritableStandardField = (key: string): key is WritableStandardField =>
  (WRITABLE_STANDARD_FIELDS as readonly string[]).includes(key);
/**
 * What Update Contact Field does when every variable of its value comes out empty for a run (a
 * webhook without the key, a null): `keep` the field's value (the default: a missing key is not
 * a request to erase), or `clear` it. A value written empty, without variables, always clears.
 */
export const WHEN_VALUE_EMPTY = ['keep', 'clear'] as const;
export const UpdateContactFieldConfig = z.object({
  /** A custom field's key, or one of WRITABLE_STANDARD_FIELDS. */
  field: z.string().trim().min(1, 'Choose a contact field').max(100),
  value: z.string().max(1000, 'A value has at most 1000 characters'),
  /** Left out: `keep`. */
  whenEmpty: z.enum(WHEN_VALUE_EMPTY, { error: 'Choose keep or clear' }).optional(),
});
/** Open conversation's `channel`: the contact's last channel (the default), or the built-in inbox; otherwise a connected channel's id. */
export const OPEN_ON_LAST = 'last';
export const OPEN_ON_BUILT_IN = 'built_in';
export const OpenConversationConfig = z.object({
  /**
   * Where a conversation this step opens lives: `last` (or left out): the channel the contact
   * last wrote on, else the built-in inbox; `built_in`; or a connected channel's id: a WhatsApp
   * number (the contact's phone, business-initiated: send a template next) or a Facebook Page
   * (only a contact who has written to that Page). A conversation already open on another
   * channel moves to the one chosen.
   */
  channel: z.string().trim().min(1, 'Choose a channel').max(64).optional(),
});
export const CloseConversationConfig = z.object({
  category: z.string().trim().min(1).max(100).optional(),
  summary: z.string().max(1000, 'A summary has at most 1000 characters').optional(),
});
export const Branch = z.object({
  name: z.string().trim().min(1, 'Name the branch').max(60),
  conditions: VariableConditionGroup,
  goTo: StepTarget,
});
export type Branch = z.infer<typeof Branch>;
/** The first branch whose conditions hold jumps to its `goTo`; none: `elseGoTo`, or the next step. */
export const BranchConfig = z.object({
  branches: z.array(Branch).min(1, 'Add at least one branch').max(10, 'At most 10 branches'),
  elseGoTo: StepTarget.optional(),
});
export const WaitConfig = z.object({
  seconds: z
    .number()
    .int('Wait a whole number of seconds')
    .min(1, 'Wait at least 1 second')
    .max(MAX_WAIT_SECONDS, 'Wait at most 90 days'),
});
export const JumpToConfig = z.object({ stepId: StepTarget });
export const HttpHeader = z.object({
  key: z
    .string()
    .trim()
    .min(1, 'Name the header')
    .max(100)
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'A header name has no spaces or special characters'),
  value: z.string().max(2000),
});
export const HttpRequestConfig = z
  .object({
    method: z.enum(HTTP_METHODS),
    url: z
      .string()
      .trim()
      .min(1, 'Enter a URL')
      .max(2000, 'A URL has at most 2000 characters')
      .regex(/^(https?:\/\/|\{\{)/i, 'The URL must start with http:// or https://'),
    headers: z.array(HttpHeader).max(10, 'At most 10 headers').default([]),
    /** JSON text; see renderJsonTemplate for how values are inserted. */
    body: z.string().max(20_000, 'A body has at most 20000 characters').optional(),
    timeoutMs: z.number().int().min(100, 'At least 100 ms').max(30_000, 'At most 30 seconds').default(10_000),
    responseMappings: VariableMappings.default([]),
  })
  .superRefine((config, ctx) => {
    if (config.method === 'GET' && config.body !== undefined && config.body.trim() !== '') {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'A GET request cannot have a body' });
    }
  });
export const TriggerWorkflowConfig = z.object({ workflowId: z.string().trim().min(1, 'Choose a workflow') });
export const MiniAppActionConfig = z.object({
  appId: z.string().trim().min(1, 'Choose an app'),
  actionKey: z.string().trim().min(1, 'Choose an action'),
  inputs: z.record(z.string(), z.string().max(4000)).default({}),
});

/**
 * Date & Time: is "now" in the zone inside the schedule? Inside: `matchGoTo` (or the next step);
 * outside: `elseGoTo` (or the next step).
 */
export const DateTimeConfig = z.object({
  timeZone: TimeZone,
  schedule: DateTimeSchedule,
  matchGoTo: StepTarget.optional(),
  elseGoTo: StepTarget.optional(),
});
/** Moves the contact to one of the lifecycle stages defined in settings (fires Contact Field Updated `lifecycle`). */
export const UpdateLifecycleStageConfig = z.object({ stage: z.string().trim().min(1, 'Choose a stage').max(50) });

export const ANSWER_TYPES = ['text', 'number', 'email', 'phone', 'date', 'choice'] as const;
export const MAX_ASK_TIMEOUT_SECONDS = 7 * 24 * 60 * 60;
/**
 * Ask a Question: sends the question on the conversation, waits (durably, no worker held) for the
 * contact's next incoming message, validates it by type, re-asks up to `retries` times, saves it,
 * then goes on: answered → `answeredGoTo` (or next); invalid after the retries → `invalidGoTo`;
 * no reply within the timeout → `timeoutGoTo` (a missing target: the next step).
 */
export const AskQuestionConfig = z.object({
  question: MessageText,
  answerType: z.enum(ANSWER_TYPES),
  /** `buttons`: shown as reply buttons (≤ 3, as WhatsApp allows); `list`: a list of choices (≤ 10). */
  choices: z.array(z.string().trim().min(1, 'A choice cannot be empty').max(320, 'A choice has at most 20 characters')
    .refine((c) => metaLength(c) <= 20, 'A choice has at most 20 characters')).max(10, 'At most 10 choices').default([]),
  presentation: z.enum(['text', 'buttons', 'list']).default('text'),
  /** A WhatsApp list's button, the one that opens the choices (Meta: at most 20 characters); left out: "Choose". */
  listButton: z.string().trim().min(1, 'Name the button, or leave it out').max(320, 'A list button has at most 20 characters')
    .refine((b) => metaLength(b) <= 20, 'A list button has at most 20 characters').optional(),
  retries: z.number().int().min(0).max(5, 'Re-ask at most 5 times').default(1),
  retryMessage: z.string().max(1000).default('Sorry, that is not a valid answer. {{question}}'),
  timeoutSeconds: z.number().int().min(60, 'Wait at least 60 seconds').max(MAX_ASK_TIMEOUT_SECONDS, 'Wait at most 7 days').default(86_400),
  /** A custom field's key, or one of WRITABLE_STANDARD_FIELDS. */
  saveToField: z.string().trim().max(100).optional(),
  saveToVariable: VariableName.optional(),
  answeredGoTo: StepTarget.optional(),
  invalidGoTo: StepTarget.optional(),
  timeoutGoTo: StepTarget.optional(),
}).superRefine((c, ctx) => {
  if (c.answerType === 'choice' && c.choices.length < 2) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'Add at least two choices' });
  if (c.presentation === 'buttons' && c.choices.length > 3) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'Reply buttons hold at most 3 choices; use a list' });
  if (c.presentation !== 'text' && c.choices.length === 0) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'Buttons and lists need choices' });
});

export const StepConfigSchemas = {
  send_message: SendMessageConfig,
  add_comment: AddCommentConfig,
  update_contact_tag: UpdateContactTagConfig,
  update_contact_field: UpdateContactFieldConfig,
  assign_to: AssignToConfig,
  open_conversation: OpenConversationConfig,
  close_conversation: CloseConversationConfig,
  branch: BranchConfig,
  wait: WaitConfig,
  jump_to: JumpToConfig,
  http_request: HttpRequestConfig,
  trigger_workflow: TriggerWorkflowConfig,
  mini_app_action: MiniAppActionConfig,
  date_time: DateTimeConfig,
  update_lifecycle_stage: UpdateLifecycleStageConfig,
  ask_question: AskQuestionConfig,
} as const satisfies Record<StepType, z.ZodType>;

export type StepConfig<T extends StepType> = z.infer<(typeof StepConfigSchemas)[T]>;

function stepSchema<T extends StepType>(type: T) {
  return z.object({ id: StepId, type: z.literal(type), config: StepConfigSchemas[type] });
}

export const Step = z.discriminatedUnion('type', [
  stepSchema('send_message'),
  stepSchema('add_comment'),
  stepSchema('update_contact_tag'),
  stepSchema('update_contact_field'),
  stepSchema('assign_to'),
  stepSchema('open_conversation'),
  stepSchema('close_conversation'),
  stepSchema('branch'),
  stepSchema('wait'),
  stepSchema('jump_to'),
  stepSchema('http_request'),
  stepSchema('trigger_workflow'),
  stepSchema('mini_app_action'),
  stepSchema('date_time'),
  stepSchema('update_lifecycle_stage'),
  stepSchema('ask_question'),
]);
export type Step = z.infer<typeof Step>;
export type StepInput = z.input<typeof Step>;
export type StepOf<T extends StepType> = Extract<Step, { type: T }>;
