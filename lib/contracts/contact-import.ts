import { z } from 'zod';
import { Id } from './common';
import { ContactPatchBody, Tag } from './contacts';
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
 * (never removed); a field set to null is cleared, as PATCH does.
 */
export const ContactImportRow = ContactPatchBody.omit({ lifecycle: true })
  .extend({ tags: z.array(Tag).max(100, 'At most 100 tags per contact').optional() })
  .refine((r) => !!(r.firstName || r.lastName || r.phone || r.email), {
    message: 'Give at least a name, a phone or an email (an empty row is no contact)',
  });
export type ContactImportRow = z.infer<typeof ContactImportRow>;

/**
 * How a row finds the contact it updates instead of creating a duplicate: by phone, by email, or
 * by phone and else by email (the default, as respond.io's import matches).
 */
export const ContactImportMatch = z.enum(['phone', 'email', 'phone_or_email']);
export type ContactImportMatch = z.infer<typeof ContactImportMatch>;

// The rows are checked one by one by the route (a bad row is an error in the answer, not a 422 of
// the whole request); the document still shows what a row is, from the same schema.
const { $schema: _ignored, ...rowDocument } = z.toJSONSchema(ContactImportRow, { io: 'input', target: 'openapi-3.0' }) as Record<string, unknown>;
const RowInput = z.unknown().meta({ ...rowDocument, description: 'A contact: firstName, lastName, phone, email, tags, fields (at least a name, a phone or an email)' });

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
