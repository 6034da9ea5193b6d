import { isWritableStandardField, type WritableStandardField } from '../../../lib/contracts/steps';
import { allEmptyNote, fieldTemplateText } from '../../../lib/workflow/empty-values';
import { resolveTemplateValue } from '../../../lib/workflow/template';
import { coerceFieldValue, fieldLabel, standardFieldValue } from '../../../lib/workflow/field-values';
import { updateContact } from '../../domain/contacts';
import { fieldsIn, listFields } from '../../domain/fields';
import { cachedDefaultCountry } from '../../domain/default-country';
import { defineStep, fail, next, type StepContext, type StepOutcome } from './define';
import { stepPhoneCountry } from './phone-country';
import { stepTarget, writeStandardField } from './standard-field';
import { viaConnector } from './via-connector';
import { outsideForContactWrite, viaContactConnector } from './via-contact';

// The Chatwoot mirror reads custom attributes into fields with the same function.
export { coerceFieldValue };

/**
 * Writes one field, the contact's own (names, email, phone) or a custom one, here or through the
 * conversation's connector (Chatwoot), or through the Chatwoot contact it mirrors when no Chatwoot
 * conversation is open (there first, then here, as on a conversation). A value whose variables all
 * came out empty keeps the field unless the step says to clear it (lib/workflow/empty-values.ts),
 * before anything is read or asked.
 */
export const updateContactFieldStep = defineStep({
  type: 'update_contact_field',
  outside: outsideForContactWrite,
  async run(ctx) {
    const key = ctx.config.field;
    const reading = fieldTemplateText(ctx.config.value, ctx.scope, ctx.config.whenEmpty);
    if (reading.kind === 'write') {
      for (const name of reading.unknown) ctx.note(`Unknown variable ${name} rendered empty`);
    } else {
      // One note names every empty variable, unknown ones included.
      const current = (isWritableStandardField(key) ? ctx.contact[key] : ctx.contact.fields[key]) ?? null;
      ctx.note(allEmptyNote(reading, fieldLabel(key), current));
      if (reading.kind === 'keep') return next({ field: key, unchanged: true, oldValue: current });
    }
    const text = reading.kind === 'write' ? reading.text : '';
    if (isWritableStandardField(key)) return setStandardField(ctx, key, text);
    // A value that is one placeholder holding a number (a JSON 2.125) goes to a number field as
    // that number: written out as text it would be read again, and "2.125" is ambiguous.
    const resolved = reading.kind === 'write' ? resolveTemplateValue(ctx.config.value, ctx.scope).value : undefined;
    const input = typeof resolved === 'number' ? resolved : text;
    // On Chatwoot, fields are the contact's custom attributes (same key).
    const connector = await viaConnector(ctx, ctx.conversation, 'setField');
    if (connector || ctx.outside) {
      const def = (await listFields(ctx.services.db)).find((f) => f.key === key);
      if (!def) return fail(`Unknown contact field "${key}"`);
      // Outside any transaction here (a connector's call, or a contact Chatwoot holds).
      const coerced = coerceFieldValue(def, input, def.type === 'phone' ? await cachedDefaultCountry(ctx.services.db) : null);
      if ('error' in coerced) return fail(`Cannot set field "${key}" (${def.type}): ${coerced.error}`);
      if (connector) return next({ oldValue: ctx.contact.fields[key] ?? null, ...(await connector.invoke({ field: key, value: coerced.value })) });
      const held = await viaContactConnector(ctx, { field: key, value: coerced.value });
      if (held) return next(held);
    }
    return ctx.db(async (uow) => {
      const def = (await fieldsIn(uow)).find((f) => f.key === key);
      if (!def) return fail(`Unknown contact field "${key}"`);
      const coerced = coerceFieldValue(def, input, def.type === 'phone' ? await cachedDefaultCountry(ctx.services.db, uow.trx) : null);
      if ('error' in coerced) return fail(`Cannot set field "${key}" (${def.type}): ${coerced.error}`);
      const oldValue = ctx.contact.fields[key] ?? null;
      // Inside the transaction that read ctx.contact, unless the step runs outside (then read again).
      await updateContact(uow, ctx.services, ctx.run.contactId, { fields: { [key]: coerced.value } }, ctx.cause, ctx.outside ? undefined : ctx.contact);
      return next({ field: key, oldValue, newValue: coerced.value });
    });
  },
});

/** First or last name, email or phone: read and checked as the contacts API does (PATCH /contacts/:id), a national phone number too. */
async function setStandardField(ctx: StepContext<'update_contact_field'>, key: WritableStandardField, text: string): Promise<StepOutcome> {
  const read = standardFieldValue(key, text, key === 'phone' ? await stepPhoneCountry(ctx) : null);
  if ('error' in read) return fail(`Cannot set the contact's ${key}: ${read.error}`);
  const value = typeof read.value === 'string' ? read.value : null;
  // On Chatwoot its contact gets the value too, or neither does (a refusal fails the step).
  const connector = await viaConnector(ctx, ctx.conversation, 'setStandardField');
  if (connector) return next(await connector.invoke({ field: key, value }));
  const held = await viaContactConnector(ctx, { standard: key, value });
  if (held) return next(held);
  // Outside, the step runs apart from the transaction that read ctx.contact.
  const known = ctx.outside ? undefined : ctx.contact;
  return ctx.db(async (uow) => {
    const written = await writeStandardField(stepTarget(ctx), uow, key, value, known);
    return 'error' in written ? fail(written.error) : next({ field: key, ...written });
  });
}
