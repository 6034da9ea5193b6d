import { isWritableStandardField, type WritableStandardField } from '../../../lib/contracts/steps';
import { coerceFieldValue, standardFieldValue } from '../../../lib/workflow/field-values';
import { updateContact } from '../../domain/contacts';
import { fieldsIn, listFields } from '../../domain/fields';
import { defineStep, fail, next, type StepContext, type StepOutcome } from './define';
import { stepTarget, writeStandardField } from './standard-field';
import { outsideWhenConnected, viaConnector } from './via-connector';

// The Chatwoot mirror reads custom attributes into fields with the same function.
export { coerceFieldValue };

export const updateContactFieldStep = defineStep({
  type: 'update_contact_field',
  outside: outsideWhenConnected,
  async run(ctx) {
    const key = ctx.config.field;
    const text = ctx.render(ctx.config.value);
    if (isWritableStandardField(key)) return setStandardField(ctx, key, text);
    // On Chatwoot, fields are the contact's custom attributes (same key).
    const connector = await viaConnector(ctx, ctx.conversation, 'setField');
    if (connector) {
      const def = (await listFields(ctx.services.db)).find((f) => f.key === key);
      if (!def) return fail(`Unknown contact field "${key}"`);
      const coerced = coerceFieldValue(def, text);
      if ('error' in coerced) return fail(`Cannot set field "${key}" (${def.type}): ${coerced.error}`);
      return next({ oldValue: ctx.contact.fields[key] ?? null, ...(await connector.invoke({ field: key, value: coerced.value })) });
    }
    return ctx.db(async (uow) => {
      const def = (await fieldsIn(uow)).find((f) => f.key === key);
      if (!def) return fail(`Unknown contact field "${key}"`);
      const coerced = coerceFieldValue(def, text);
      if ('error' in coerced) return fail(`Cannot set field "${key}" (${def.type}): ${coerced.error}`);
      const oldValue = ctx.contact.fields[key] ?? null;
      // This branch runs inside the transaction that read ctx.contact (no connector: not outside).
      await updateContact(uow, ctx.services, ctx.run.contactId, { fields: { [key]: coerced.value } }, ctx.cause, ctx.contact);
      return next({ field: key, oldValue, newValue: coerced.value });
    });
  },
});

/**
 * First or last name, email or phone: read and checked as the contacts API does. An email or
 * phone whose value came out empty from its variables (a webhook without one) is kept, not wiped:
 * it is how channels, webhooks and merges find the contact. Only an empty value written as such
 * clears it, as PATCH with null does.
 */
async function setStandardField(ctx: StepContext<'update_contact_field'>, key: WritableStandardField, text: string): Promise<StepOutcome> {
  const identity = key === 'email' || key === 'phone';
  if (identity && text.trim() === '' && ctx.config.value.trim() !== '') {
    ctx.note(`The value came out empty, so the contact's ${key} was kept (leave the value empty to clear it)`);
    return next({ field: key, unchanged: true, oldValue: ctx.contact[key] });
  }
  const read = standardFieldValue(key, text);
  if ('error' in read) return fail(`Cannot set the contact's ${key}: ${read.error}`);
  const value = typeof read.value === 'string' ? read.value : null;
  // On Chatwoot its contact gets the value too, or neither does (a refusal fails the step).
  const connector = await viaConnector(ctx, ctx.conversation, 'setStandardField');
  if (connector) return next(await connector.invoke({ field: key, value }));
  // On a connected conversation the step runs outside the transaction that read ctx.contact.
  const known = outsideWhenConnected(ctx.conversation) ? undefined : ctx.contact;
  return ctx.db(async (uow) => {
    const written = await writeStandardField(stepTarget(ctx), uow, key, value, known);
    return 'error' in written ? fail(written.error) : next({ field: key, ...written });
  });
}
