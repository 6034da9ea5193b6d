import type { Contact } from '../../../lib/contracts/contacts';
import type { Conversation } from '../../../lib/contracts/conversations';
import { checkAnswer, type AnswerCheck } from '../../../lib/workflow/answers';
import { fieldName, fieldValueOf, isPhoneField, writableField, type WritableField } from '../../../lib/workflow/field-values';
import { updateContact } from '../../domain/contacts';
import { cachedDefaultCountry } from '../../domain/default-country';
import { fieldsIn, listFields } from '../../domain/fields';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Executor } from '../../store/database';
import { RetryLaterError, StepError, type StepContext } from './define';
import { stepTarget, writeStandardField } from './standard-field';
import { viaConnector } from './via-connector';
import { viaContactConnector } from './via-contact';
import type { ContactFieldWrite } from '../../connectors/registry';

type Ctx = StepContext<'ask_question'>;

/**
 * The reply checked against the question; a date is read in the order of the workspace's default
 * country, a phone number without its country code as a number of that country.
 */
export async function checkReply(ctx: Ctx, reply: string, read: Executor = ctx.services.db): Promise<AnswerCheck> {
  const type = ctx.config.answerType;
  const country = type === 'date' || type === 'phone' ? await cachedDefaultCountry(ctx.services.db, read) : null;
  return checkAnswer(ctx.config, reply, { country });
}

/** An answer saved to a phone field (a text answer, say) reads a national number as the contacts API does. */
const countryFor = (ctx: Ctx, field: WritableField | undefined, read: Executor = ctx.services.db) =>
  (field && isPhoneField(field) ? cachedDefaultCountry(ctx.services.db, read) : Promise.resolve(null));

export type Saved = { output: Record<string, unknown> } | { error: string };

/**
 * Saves a valid answer to the chosen field, read as Update Contact Field reads a value (one
 * function: lib/workflow/field-values.ts): a custom field, or the contact's own name, email or
 * phone. An answer the field cannot hold is not saved (a note says why) and the run goes on; a
 * phone or email another contact has fails the step, naming that contact. An answer is never
 * empty (checkAnswer asks again), so it never clears a field: Update Contact Field's rule for
 * empty variables (lib/workflow/empty-values.ts) has nothing to keep here.
 */
export async function saveAnswer(ctx: Ctx, uow: UnitOfWork, value: string | number, known?: Contact): Promise<Saved> {
  const key = ctx.config.saveToField;
  if (!key) return { output: {} };
  const field = writableField(key, await fieldsIn(uow));
  const read = field ? fieldValueOf(field, value, await countryFor(ctx, field, uow.trx)) : { error: 'Unknown field; define it under /fields first' };
  if ('error' in read) {
    ctx.note(`The answer was not saved to field ${field ? fieldName(field) : key}: ${read.error}`);
    return { output: { savedToField: null } };
  }
  if (field && 'standard' in field) {
    const written = await writeStandardField(stepTarget(ctx), uow, field.standard, typeof read.value === 'string' ? read.value : null, known);
    if ('error' in written) return written;
  } else {
    await updateContact(uow, ctx.services, ctx.run.contactId, { fields: { [key]: read.value } }, ctx.cause);
  }
  return { output: { savedToField: key } };
}

/**
 * On a conversation whose connector writes the contact (Chatwoot), the answer is saved through it,
 * as Update Contact Field saves a value there: the Chatwoot contact gets the email, phone, name or
 * custom attribute too. On any other conversation (built-in, WhatsApp, Messenger) of a contact that
 * lives in Chatwoot, through that Chatwoot contact (via-contact.ts, Update Contact Field's own
 * way): written here only, the agent there would never see the answer and the next sync would
 * tell another story. Undefined when neither holds the contact, or nothing to save (saveAnswer
 * then saves locally, or notes why not). A refusal is the step's error, as a duplicate here is.
 */
export async function saveAnswerOutside(ctx: Ctx, conversation: Conversation | null, value: string | number): Promise<Saved | undefined> {
  const key = ctx.config.saveToField;
  const field = key ? writableField(key, await listFields(ctx.services.db)) : undefined;
  const read = field && fieldValueOf(field, value, await countryFor(ctx, field));
  if (!key || !field || !read || 'error' in read) return undefined;
  // Writing one value twice is writing it once: a step run again after a crash simply writes again.
  const call = { ...ctx, once: <R>(fn: () => Promise<R>) => fn() };
  try {
    const write: ContactFieldWrite = 'standard' in field
      ? { standard: field.standard, value: typeof read.value === 'string' ? read.value : null }
      : { field: key, value: read.value };
    // No conversation connector takes it: the Chatwoot contact it mirrors, if any (the step runs outside then).
    const saved = await viaConversationConnector(call, conversation, write) || await viaContactConnector(call, write);
    if (!saved) return undefined;
  } catch (err) {
    if (err instanceof StepError && !(err instanceof RetryLaterError)) return { error: err.message };
    throw err;
  }
  return { output: { savedToField: key } };
}

/** Through the conversation's connector (Chatwoot) when it has one for this write: true then. */
async function viaConversationConnector(call: Parameters<typeof viaConnector>[0], conversation: Conversation | null, write: ContactFieldWrite): Promise<boolean> {
  if ('standard' in write) {
    const connector = await viaConnector(call, conversation, 'setStandardField');
    if (connector) await connector.invoke({ field: write.standard, value: write.value });
    return Boolean(connector);
  }
  const connector = await viaConnector(call, conversation, 'setField');
  if (connector) await connector.invoke(write);
  return Boolean(connector);
}
