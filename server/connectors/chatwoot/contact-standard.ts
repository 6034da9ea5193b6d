import type { Contact } from '../../../lib/contracts/contacts';
import type { WritableStandardField } from '../../../lib/contracts/steps';
import { STANDARD_FIELD_LABELS } from '../../../lib/workflow/field-values';
import { getContact } from '../../domain/contacts';
import { StepError } from '../../engine/steps/define';
import { standardFieldTaken, writeStandardField } from '../../engine/steps/standard-field';
import type { ConnectorCall, ConnectorOutput } from '../registry';
import { ChatwootApiError, type ChatwootContactChange } from './api';
import { cwContactIdOf } from './mirror-contact';
import { pendingOf, preRecord, restore } from './pending-state';
import { guarded, session } from './session';

const LABEL = STANDARD_FIELD_LABELS;

/**
 * The contact's own name, email or phone written by a step on a Chatwoot conversation: the Chatwoot
 * contact it mirrors gets it too (PUT …/contacts/{id}), so the agent there sees what the workflow
 * wrote. Both sides or neither: the companion's check (another contact here has this email) comes
 * first, then Chatwoot's (another Chatwoot contact has it: 422), and only then the local write,
 * which fires Contact Field Updated once.
 *
 * Chatwoot's contact_updated webhook for this change may arrive before the PUT is answered (a
 * background job after its commit). So the applied state takes the new value before the PUT: the
 * echo finds nothing new whenever it comes and fires nothing; a refusal puts the old value back.
 * Setting a value twice is setting it once, so the call may be repeated after a crash.
 */
export async function setStandardField(call: ConnectorCall, { field, value }: { field: WritableStandardField; value: string | null }): Promise<ConnectorOutput> {
  const s = session(call);
  const contactId = call.conversation.contactId;
  return s.once(() => guarded(s, async () => {
    const cwId = (await s.mirror((ctx) => cwContactIdOf(ctx, contactId))) ?? (await s.api.conversation(s.displayId)).meta.sender.id;
    const planned = await s.mirror(async (ctx) => {
      const taken = await standardFieldTaken(ctx.uow.trx, contactId, field, value);
      if (taken) return { error: taken };
      const contact = await getContact(ctx.uow.trx, contactId);
      const change = chatwootChange(field, value, contact);
      return { change, previous: await preRecord(ctx, cwId, pendingOf(change)), oldValue: contact[field] || null };
    });
    if ('error' in planned) throw new StepError(planned.error);
    try {
      await s.api.updateContact(cwId, planned.change);
    } catch (err) {
      // A request that may have arrived (a 502 after the save) keeps the new value: its echo is ours.
      if (!(err instanceof ChatwootApiError) || err.noEffect) await s.mirror((ctx) => restore(ctx, cwId, pendingOf(planned.change), planned.previous));
      if (err instanceof ChatwootApiError && err.status === 422) throw new StepError(refusal(field, value, cwId, err.answer), { cause: err });
      throw err;
    }
    const written = await s.mirror((ctx) => writeStandardField({ services: ctx.services, contactId, cause: s.cause }, ctx.uow, field, value));
    if ('error' in written) throw new StepError(`${written.error} (Chatwoot contact ${cwId} has the new ${LABEL[field]} already)`);
    return { field, oldValue: planned.oldValue, newValue: value || null, chatwootContactId: cwId, chatwoot: s.logged() };
  }));
}

/** Chatwoot keeps one `name`: the companion's first and last names joined, as its mirror splits them. */
export function chatwootChange(field: WritableStandardField, value: string | null, contact: Contact): ChatwootContactChange {
  if (field === 'email') return { email: value ?? '' };
  if (field === 'phone') return { phone_number: value ?? '' };
  const names = { firstName: contact.firstName, lastName: contact.lastName, [field]: value ?? '' };
  return { name: `${names.firstName} ${names.lastName}`.trim() };
}

export function refusal(field: WritableStandardField, value: string | null, cwId: number, answer: string) {
  const what = value === null ? `clear the ${LABEL[field]} of its contact ${cwId}` : `set the ${LABEL[field]} of its contact ${cwId} to ${value}`;
  const taken = /already been taken/i.test(answer) ? `: another Chatwoot contact has this ${LABEL[field]} (if they are the same person, merge the two in Chatwoot)` : '';
  return `Chatwoot refused to ${what} ("${answer || 'unprocessable'}")${taken}. Nothing was changed, here or in Chatwoot`;
}
