import type { WritableStandardField } from '../../../lib/contracts/steps';
import type { Contact } from '../../../lib/contracts/contacts';
import { getContact, updateContact } from '../../domain/contacts';
import type { UnitOfWork } from '../../events/unit-of-work';
import { HttpError } from '../../http-error';
import type { StepContext } from './define';

export type StandardWrite = { oldValue: string | null; newValue: string | null } | { error: string };

/**
 * Writes one of the contact's own fields (names, email, phone) as PATCH /contacts/:id does, so
 * Contact Field Updated fires with the old and new values. Phone and email belong to one contact
 * each: one another contact has already is refused, naming that contact, and the two are not
 * merged on their own (as respond.io refuses it; merging is a person's decision). The check reads
 * before the write so the run's transaction stays usable; the unique index still catches a
 * contact that took the value in between (the same refusal, without the name).
 */
export async function writeStandardField(
  ctx: Pick<StepContext, 'services' | 'run' | 'cause'>, uow: UnitOfWork, key: WritableStandardField, value: string | null,
  /** The contact as read in this same transaction (a step inside the checkpoint's has it); else read here. */
  known?: Contact,
): Promise<StandardWrite> {
  const current = known ?? await getContact(uow.trx, ctx.run.contactId);
  const oldValue = current[key] || null;
  if ((key === 'email' || key === 'phone') && value !== null) {
    const other = await uow.trx.selectFrom('contacts').select(['id', 'first_name', 'last_name'])
      .where(key, '=', value).where('id', '!=', ctx.run.contactId).executeTakeFirst();
    if (other) {
      const name = `${other.first_name} ${other.last_name}`.trim();
      return { error: `Cannot set ${key} to ${value}: contact ${other.id}${name ? ` (${name})` : ''} already has it. If they are the same person, merge the two contacts; a workflow does not merge them` };
    }
  }
  try {
    const patch = key === 'email' || key === 'phone' ? { [key]: value } : { [key]: value ?? '' };
    await updateContact(uow, ctx.services, ctx.run.contactId, patch, ctx.cause, current);
  } catch (err) {
    if (err instanceof HttpError && err.statusCode === 409) return { error: `Cannot set ${key} to ${value}: ${err.message}` };
    throw err;
  }
  return { oldValue, newValue: value || null };
}
