import { ContactPatchBody, FieldValue } from '../../lib/contracts/contacts';
import { unprocessable, type ErrorDetail } from '../http-error';

type Written = { firstName?: string; lastName?: string; fields?: Record<string, FieldValue> };

/**
 * The last check before a contact is written, whoever writes it (API, steps, answers, imports,
 * connectors): what the contacts contract refuses is not stored. One field's text over the limit
 * once made GET /contacts and /conversations answer 500 for everyone until an admin cleared it.
 * Writers check first and say why in their own words (a step fails with a note, a mirror skips
 * the attribute); this turns one that forgot into a 422, which fails a step with its message.
 */
export function requireStorableContact(written: Written): void {
  const details: ErrorDetail[] = [];
  for (const key of ['firstName', 'lastName'] as const) {
    const value = written[key];
    if (value === undefined) continue;
    const parsed = ContactPatchBody.shape[key].safeParse(value);
    if (!parsed.success) details.push({ path: key, message: `a name has at most 100 characters (this one has ${value.length.toLocaleString('en-US')})` });
  }
  for (const [key, value] of Object.entries(written.fields ?? {})) {
    const parsed = FieldValue.safeParse(value);
    if (!parsed.success) details.push({ path: `fields.${key}`, message: parsed.error.issues[0]?.message ?? 'not a field value' });
  }
  if (details.length) throw unprocessable(`The contact was not saved: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
}
