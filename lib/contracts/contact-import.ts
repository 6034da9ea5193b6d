import { z } from 'zod';
import { Id, unknownKeys } from './common';
import { ContactPatchBody, FieldKey, Tag } from './contacts';
import { ErrorDetail } from './errors';

/**
 * Rows per POST /contacts/import. A larger file goes in parts (the options page sends 500 at a
 * time, with a progress bar): one request stays within seconds, and the body within its limit.
 */
export const CONTACT_IMPORT_MAX_ROWS = 5_000;
/** The body limit of POST /contacts/import: 5,000 rows of a few custom fields each fit easily. */
export const CONTACT_IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * One contact of an import, checked as POST /contacts and PATCH check theirs (phones to E.164,
 * emails lowercased, unknown keys refused), without defaults: a key left out leaves an existing
 * contact's value as it is, so an empty spreadsheet cell never blanks a name. Tags are added
 * (never removed); a field set to null is cleared, as PATCH does. `lifecycle` is one of the
 * stages in settings, in any case ("customer" is the stage "Customer"), on new contacts too.
 */
const { lifecycle, ...standard } = ContactPatchBody.shape;
export const ContactImportRow = z.strictObject({
  ...standard,
  tags: z.array(Tag).max(100, 'At most 100 tags per contact').optional(),
  lifecycle,
}, unknownKeys('a contact takes firstName, lastName, phone, email, tags, fields, lifecycle'))
  .refine((r) => !!(r.firstName || r.lastName || r.phone || r.email), {
    message: 'Give at least a name, a phone or an email (an empty row is no contact)',
  });
export type ContactImportRow = z.infer<typeof ContactImportRow>;

/** The ways a row finds its contact by the contact's own keys: phone, email, or phone and else email. */
export const CONTACT_KEY_MATCHES = ['phone', 'email', 'phone_or_email'] as const;

/**
 * How a row finds the contact it updates instead of creating a duplicate: by phone, by email, by
 * phone and else by email (the default, as respond.io's import matches), or by a custom text
 * field holding another system's id (`{ "field": "customer_id" }`: Chatwoot's identifier,
 * respond.io's Contact ID), and else by phone or email, so a contact that wrote on WhatsApp before
 * the import gets its id instead of a twin.
 */
export const ContactImportMatch = z.union([
  z.enum(CONTACT_KEY_MATCHES),
  z.strictObject({ field: FieldKey }),
], { error: 'Use "phone", "email", "phone_or_email" or { "field": "<key of a custom text field>" }' });
export type ContactImportMatch = z.infer<typeof ContactImportMatch>;

/**
 * A value that does not fit its field (a custom field's type or list, an unknown lifecycle
 * stage): `error` refuses the row, as POST /contacts would; `skip` saves the contact without that
 * value and says so in the row's `skipped`. Unknown field keys, phones and emails always refuse
 * the row: they are no value to leave out but a column sent to the wrong place or a key that finds
 * the contact.
 */
export const ContactImportInvalidField = z.enum(['error', 'skip']);
export type ContactImportInvalidField = z.infer<typeof ContactImportInvalidField>;

/** A value a row gave and the import left out (`onInvalidField: "skip"`): the field's key (or `lifecycle`) and why. */
export const ContactImportSkipped = z.object({ field: z.string(), message: z.string() });
export type ContactImportSkipped = z.infer<typeof ContactImportSkipped>;

// The rows are checked one by one by the route (a bad row is an error in the answer, not a 422 of
// the whole request); the document still shows what a row is, from the same schema.
const { $schema: _ignored, ...rowDocument } = z.toJSONSchema(ContactImportRow, { io: 'input', target: 'openapi-3.0' }) as Record<string, unknown>;
const RowInput = z.unknown().meta({ ...rowDocument, description: 'A contact: firstName, lastName, phone, email, tags, fields, lifecycle (at least a name, a phone or an email)' });

export const ContactImportBody = z.strictObject({
  contacts: z.array(RowInput)
    .min(1, 'Send at least one contact')
    .max(CONTACT_IMPORT_MAX_ROWS, `At most ${CONTACT_IMPORT_MAX_ROWS.toLocaleString('en-US')} contacts per request: send a larger file in parts`),
  match: ContactImportMatch.default('phone_or_email'),
  /**
   * Off by default: an import records every change, but starts no workflow (a welcome or tag
   * workflow would otherwise message every imported contact). On: tag and field changes fire
   * their triggers as an API update does.
   */
  fireTriggers: z.boolean().default(false),
  onInvalidField: ContactImportInvalidField.default('error'),
  /**
   * Phones without a country code ("0151 1234 5678", "4915112345678" as Excel leaves "+49 …")
   * read in this country (ISO 3166-1), as webhooks read them with the workspace's default
   * country. Left out, every phone needs its "+" and country code, as POST /contacts.
   */
  defaultCountry: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Use a two-letter country code (ISO 3166-1), e.g. DE or US').optional(),
});
export type ContactImportBody = z.input<typeof ContactImportBody>;

export const ContactImportStatus = z.enum(['created', 'updated', 'unchanged', 'error']);
export type ContactImportStatus = z.infer<typeof ContactImportStatus>;

export const ContactImportRowResult = z.object({
  /** The row's position in `contacts`, from 0. */
  index: z.number().int().min(0),
  status: ContactImportStatus,
  /** The contact created, updated or found unchanged; null for an error. */
  contactId: Id.nullable(),
  /** An error: what to fix in the row (`contacts[3].phone: …`). */
  message: z.string().optional(),
  /** An error: each value to fix, by path (`contacts.3.phone`). */
  details: z.array(ErrorDetail).optional(),
  /**
   * `onInvalidField: "skip"`: the values left out of the contact, and why. On an error row, those
   * that would have been, so one answer lists everything to fix.
   */
  skipped: z.array(ContactImportSkipped).optional(),
});
export type ContactImportRowResult = z.infer<typeof ContactImportRowResult>;

/** Every row answered, in order; the counts add up to the rows sent. */
export const ContactImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  results: z.array(ContactImportRowResult),
});
export type ContactImportResult = z.infer<typeof ContactImportResult>;
