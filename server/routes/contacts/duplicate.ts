import type { Principal } from '../../auth/principal';
import { readsContacts } from '../../apps/contact-ref';
import { findContactBy } from '../../domain/contacts';
import { HttpError, type ErrorDetail } from '../../http-error';
import type { Executor } from '../../store/database';

/**
 * A create or update refused because another contact has the phone or email (409 `conflict`),
 * said per field with that contact's id, so a client can update it instead (respond.io and
 * HubSpot upsert by identifier; Chatwoot's 422 names the attribute). Looked up once the write
 * failed, outside its transaction (PostgreSQL aborted it): nothing is read on the common path.
 * A caller who may not read contacts (an app key without contacts.read) gets the fields, no ids.
 */
export async function namingDuplicates<T>(
  db: Executor, principal: Principal | null, given: { phone?: string | null; email?: string | null }, self: string | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof HttpError && err.statusCode === 409 && err.code === 'conflict')) throw err;
    const shown = readsContacts(principal);
    const details: ErrorDetail[] = [];
    for (const key of ['phone', 'email'] as const) {
      const value = given[key];
      const holder = value ? await findContactBy(db, key, value) : undefined;
      if (!holder || holder.id === self) continue;
      details.push({
        path: `body.${key}`,
        message: shown ? `Contact ${holder.id} has this ${key}: update that contact (PATCH /contacts/${holder.id}) instead` : `Another contact has this ${key}`,
        ...(shown ? { contactId: holder.id } : {}),
      });
    }
    if (details.length === 0) throw err;
    throw new HttpError(409, 'conflict', err.message, details, err.headers);
  }
}
