import type { WritableStandardField } from '../../../lib/contracts/steps';
import type { Contact } from '../../../lib/contracts/contacts';
import { getContact, updateContact, type Cause } from '../../domain/contacts';
import type { UnitOfWork } from '../../events/unit-of-work';
import { HttpError } from '../../http-error';
import type { Services } from '../../services';
import type { Executor } from '../../store/database';
import type { StepContext } from './define';

/** Whose contact a write changes, and why (a step's run, or a connector's call for it). */
export interface StandardTarget { services: Services; contactId: string; cause: Cause }
export const stepTarget = (ctx: Pick<StepContext, 'services' | 'run' | 'cause'>): StandardTarget =>
  ({ services: ctx.services, contactId: ctx.run.contactId, cause: ctx.cause });

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
  target: StandardTarget, uow: UnitOfWork, key: WritableStandardField, value: string | null,
  /** The contact as read in this same transaction (a step inside the checkpoint's has it); else read here. */
  known?: Contact,
): Promise<StandardWrite> {
  const current = known ?? await getContact(uow.trx, target.contactId);
  const oldValue = current[key] || null;
  const taken = await standardFieldTaken(uow.trx, target.contactId, key, value);
  if (taken) return { error: taken };
  try {
    const patch = key === 'email' || key === 'phone' ? { [key]: value } : { [key]: value ?? '' };
    await updateContact(uow, target.services, target.contactId, patch, target.cause, current);
  } catch (err) {
    if (err instanceof HttpError && err.statusCode === 409) return { error: `Cannot set ${key} to ${value}: ${err.message}` };
    throw err;
  }
  return { oldValue, newValue: value || null };
}

/** Why another contact keeps `value` from this one (phone and email are one contact's each); undefined when none has it. */
export async function standardFieldTaken(trx: Executor, contactId: string, key: WritableStandardField, value: string | null): Promise<string | undefined> {
  if ((key !== 'email' && key !== 'phone') || value === null) return undefined;
  const other = await trx.selectFrom('contacts').select(['id', 'first_name', 'last_name'])
    .where(key, '=', value).where('id', '!=', contactId).executeTakeFirst();
  if (!other) return undefined;
  const name = `${other.first_name} ${other.last_name}`.trim();
  return `Cannot set ${key} to ${value}: contact ${other.id}${name ? ` (${name})` : ''} already has it. If they are the same person, merge the two contacts; a workflow does not merge them`;
}
