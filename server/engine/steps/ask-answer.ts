import type { Contact } from '../../../lib/contracts/contacts';
import { checkAnswer, type AnswerCheck } from '../../../lib/workflow/answers';
import { fieldName, fieldValueOf, writableField } from '../../../lib/workflow/field-values';
import { updateContact } from '../../domain/contacts';
import { cachedDefaultCountry } from '../../domain/default-country';
import { fieldsIn } from '../../domain/fields';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Executor } from '../../store/database';
import type { StepContext } from './define';
import { writeStandardField } from './standard-field';

type Ctx = StepContext<'ask_question'>;

/** The reply checked against the question; a date is read in the order of the workspace's default country. */
export async function checkReply(ctx: Ctx, reply: string, read: Executor = ctx.services.db): Promise<AnswerCheck> {
  const country = ctx.config.answerType === 'date' ? await cachedDefaultCountry(ctx.services.db, read) : null;
  return checkAnswer(ctx.config, reply, { country });
}

export type Saved = { output: Record<string, unknown> } | { error: string };

/**
 * Saves a valid answer to the chosen field, read as Update Contact Field reads a value (one
 * function: lib/workflow/field-values.ts): a custom field, or the contact's own name, email or
 * phone. An answer the field cannot hold is not saved (a note says why) and the run goes on; a
 * phone or email another contact has fails the step, naming that contact.
 */
export async function saveAnswer(ctx: Ctx, uow: UnitOfWork, value: string | number, known?: Contact): Promise<Saved> {
  const key = ctx.config.saveToField;
  if (!key) return { output: {} };
  const field = writableField(key, await fieldsIn(uow));
  const read = field ? fieldValueOf(field, String(value)) : { error: 'Unknown field; define it under /fields first' };
  if ('error' in read) {
    ctx.note(`The answer was not saved to field ${field ? fieldName(field) : key}: ${read.error}`);
    return { output: { savedToField: null } };
  }
  if (field && 'standard' in field) {
    const written = await writeStandardField(ctx, uow, field.standard, typeof read.value === 'string' ? read.value : null, known);
    if ('error' in written) return written;
  } else {
    await updateContact(uow, ctx.services, ctx.run.contactId, { fields: { [key]: read.value } }, ctx.cause);
  }
  return { output: { savedToField: key } };
}
