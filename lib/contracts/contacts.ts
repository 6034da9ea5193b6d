import { z } from 'zod';
import { E164, Email, Id, Timestamp, unknownKeys } from './common';
import { Tag } from './tag';
import { idCursor, listQuery, pageLimit } from './list-query';

// One tag shape for the API, imports and steps (tag.ts: no invisible characters, NFKC).
export { Tag };
/** The longest text a contact field holds (characters); every writer checks it with FieldValue. */
export const FIELD_TEXT_MAX = 10_000;
/** "the value is 10,006 characters; a field holds at most 10,000": the words of the API, a step, an import. */
export const fieldTooLong = (length: number) =>
  `the value is ${length.toLocaleString('en-US')} characters; a field holds at most ${FIELD_TEXT_MAX.toLocaleString('en-US')}`;
/** What a field value is not, in words: zod's own union message is only "Invalid input". */
const notAFieldValue = (input: unknown) => {
  const got = typeof input === 'number' ? 'a number past what JSON numbers hold here (±1.8e308): send such a value as text'
    : Array.isArray(input) ? 'a list' : input !== null && typeof input === 'object' ? 'an object (a field holds one value)' : `a ${typeof input}`;
  return `A field value is text (up to ${FIELD_TEXT_MAX.toLocaleString('en-US')} characters), a number, true, false or null; this is ${got}`;
};
export const FieldValue = z.union([
  z.string().max(FIELD_TEXT_MAX, { error: (issue) => fieldTooLong(typeof issue.input === 'string' ? issue.input.length : FIELD_TEXT_MAX + 1) }),
  z.number(), z.boolean(), z.null(),
], { error: (issue) => (issue.code === 'invalid_union' ? notAFieldValue(issue.input) : undefined) });
export type FieldValue = z.infer<typeof FieldValue>;

export const Contact = z.object({
  id: Id,
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  tags: z.array(z.string()),
  fields: z.record(z.string(), FieldValue),
  /** One of the lifecycle stages in settings, or null. */
  lifecycle: z.string().nullable().optional(),
  createdAt: Timestamp,
});
export type Contact = z.infer<typeof Contact>;

const Name = z.string().trim().max(100);
/** A stage's name as create and PATCH take it; that it is one of the stages in settings is checked by the server. */
const LifecycleStage = z.string().trim().min(1).max(50);
/**
 * A key the contact does not have is refused, not dropped: `{"first_name": "Bob"}` created a
 * blank contact. The message names the keys a contact takes.
 */
const contactKeys = unknownKeys('a contact takes firstName, lastName, phone, email, tags, fields, lifecycle');
/** As respond.io and Chatwoot: a contact has a name or a way to reach it; `{}` made a blank row nobody could find. */
const NAMED = 'Give the contact a firstName, lastName, phone or email';
export const ContactCreateBody = z.strictObject({
  firstName: Name.default(''),
  lastName: Name.default(''),
  phone: E164.nullish(),
  email: Email.nullish(),
  tags: z.array(Tag).max(100).default([]),
  fields: z.record(z.string().max(64), FieldValue).default({}),
  /** As respond.io's and Chatwoot's create: a stage from settings (PATCH's rule), or none. */
  lifecycle: LifecycleStage.nullish(),
}, contactKeys).refine((c) => !!(c.firstName || c.lastName || c.phone || c.email), {
  message: NAMED,
  // Not beside another problem: `{"first_name": …}` is told its wrong key, not also that it has no name.
  when: (payload) => payload.issues.length === 0,
});
export const ContactPatchBody = z.strictObject({
  lifecycle: LifecycleStage.nullish(),
  firstName: Name.optional(),
  lastName: Name.optional(),
  phone: E164.nullish(),
  email: Email.nullish(),
  fields: z.record(z.string().max(64), FieldValue).optional(),
}, unknownKeys('an update takes firstName, lastName, phone, email, fields, lifecycle (tags are added with POST /contacts/:id/tags and removed with DELETE /contacts/:id/tags/:tag)'));
const FIELD_FILTER_HINT = 'field and value go together: ?field=order_id&value=order-12345 finds the contacts whose custom field order_id is order-12345';
export const ContactQuery = listQuery({
  phone: z.string().max(32).optional(),
  email: z.string().max(254).optional(),
  q: z.string().max(100).optional(),
  /** A custom field's key (GET /fields); with `value`, respond.io's filter by a contact field, Chatwoot's by a custom attribute. */
  field: z.string().min(1, FIELD_FILTER_HINT).max(64, 'A field key has at most 64 characters').optional()
    .describe('The key of a custom field (GET /fields), with `value`: only the contacts whose field holds that value exactly. An unknown key is a 422'),
  value: z.string().trim().min(1, 'value is empty: give the value to find, e.g. ?field=order_id&value=order-12345').max(FIELD_TEXT_MAX).optional()
    .describe('With `field`: the value, read as the field stores it (a number field\'s "1250.5", a checkbox\'s true or false, a list option in any case, a phone as written); case and spaces inside count'),
  limit: pageLimit(50),
  /** The `nextCursor` of the page before (contacts go by id, oldest first). */
  cursor: idCursor('con').optional(),
}).superRefine((query, ctx) => {
  if ((query.field === undefined) !== (query.value === undefined)) {
    ctx.addIssue({ code: 'custom', path: [query.field === undefined ? 'field' : 'value'], message: FIELD_FILTER_HINT });
  }
});
/**
 * `nextCursor`: pass it back as `cursor` for the next page; null when there is no more. `total`
 * counts every contact the filters match, not the page (as GET /conversations' does); null for a
 * search by `q` whose matches do not all fit its first page: no index serves a substring, and
 * counting them would read every contact a second time (GET /contacts describes it).
 */
export const ContactList = z.object({
  contacts: z.array(Contact), nextCursor: z.string().nullable(),
  total: z.number().int().min(0).nullable()
    .describe('How many contacts the filters match; null with q when they do not all fit the first page (not counted: see the route\'s description)'),
});
export const TagsBody = z.strictObject({ tags: z.array(Tag).min(1).max(50) }, unknownKeys('adding tags takes only tags, e.g. {"tags": ["vip"]}'));
export const TagListBody = z.object({ tags: z.array(z.string()) });
export const ContactTags = z.object({ contactId: Id, tags: z.array(z.string()) });

export const FIELD_TYPES = ['text', 'number', 'date', 'list', 'checkbox', 'url', 'phone', 'email'] as const;
/** Keys of standard contact fields (triggers name them like custom fields), so no custom field takes them. */
export const RESERVED_FIELD_KEYS = ['email', 'phone', 'lifecycle'] as const;
export const FieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'Use lowercase letters, digits and _ (e.g. order_id)')
  .refine((k) => !(RESERVED_FIELD_KEYS as readonly string[]).includes(k), 'This key is a standard contact field (email, phone, lifecycle); choose another key');
export const FieldDefinitionBody = z.object({
  label: z.string().trim().min(1, 'Enter a label').max(80, 'A label has at most 80 characters'),
  type: z.enum(FIELD_TYPES),
  options: z.array(z.string().trim().min(1, 'An option cannot be empty').max(100, 'An option has at most 100 characters')).max(100, 'At most 100 options').default([]),
});
export const FieldDefinition = FieldDefinitionBody.extend({ key: FieldKey }).refine((f) => f.type !== 'list' || f.options.length > 0, { message: 'A list field needs at least one option', path: ['options'] });
export type FieldDefinition = z.infer<typeof FieldDefinition>;
export const FieldList = z.object({ fields: z.array(FieldDefinition) });
/** A published workflow that a field's new type or options break: publishing it now would be refused for these. */
export const BrokenWorkflow = z.object({ id: Id, name: z.string(), problems: z.array(z.string()) });
/**
 * PUT /fields/:key's answer: the field as saved and, when its type or options changed, the
 * published workflows using it that publishing would now refuse (they keep running and failing
 * on it), so the admin fixes or unpublishes them, as respond.io warns before a field change.
 */
// Defaulted: a server from before this answer sends the field alone.
export const FieldSaved = FieldDefinitionBody.extend({ key: FieldKey, brokenWorkflows: z.array(BrokenWorkflow).default([]) });

/** POST /contacts/:id/merge: the contact of the path survives; `mergeContactId` is merged into it and removed. */
export const MergeContactsBody = z.object({ mergeContactId: Id });
export const MergeContactsResult = z.object({
  contact: Contact,
  /** Rows that now name the survivor, per table (conversations, events, runs, channel_identities, …). */
  moved: z.record(z.string(), z.number()),
  /** The merged contact's open conversation, closed with reason "merge" (fires no Conversation Closed). */
  closedConversationId: z.string().nullable(),
});

/** Ordered lifecycle stages (e.g. New lead → Qualified → Customer); a contact is in one or none. */
export const LifecycleStages = z.object({
  stages: z.array(z.string().trim().min(1, 'A stage needs a name').max(50, 'A stage name has at most 50 characters')).max(20, 'At most 20 stages')
    .refine((s) => new Set(s).size === s.length, 'Stage names must be unique'),
});
export type LifecycleStages = z.infer<typeof LifecycleStages>;
