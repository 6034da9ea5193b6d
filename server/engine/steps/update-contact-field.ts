import type { FieldDefinition, FieldValue } from '../../../lib/contracts/contacts';
import { updateContact } from '../../domain/contacts';
import { fieldsIn, fieldValueProblem, listFields } from '../../domain/fields';
import { defineStep, fail, next } from './define';
import { outsideWhenConnected, viaConnector } from './via-connector';

/**
 * Turns rendered text into the value the field's type stores. An empty text clears the field.
 * Returns an error message when the text cannot be that type.
 */
export function coerceFieldValue(def: FieldDefinition, text: string): { value: FieldValue } | { error: string } {
  const raw = text.trim();
  if (raw === '') return { value: null };
  let value: FieldValue = raw;
  switch (def.type) {
    case 'number': {
      const n = Number(raw.replace(/,/g, ''));
      if (!Number.isFinite(n)) return { error: `"${raw}" is not a number` };
      value = n;
      break;
    }
    case 'checkbox': {
      const t = raw.toLowerCase();
      if (['true', 'yes', '1', 'on', 'checked'].includes(t)) value = true;
      else if (['false', 'no', '0', 'off', 'unchecked'].includes(t)) value = false;
      else return { error: `"${raw}" is not true or false` };
      break;
    }
    case 'date':
      // `{{$system.now}}` and other ISO timestamps keep their date part.
      value = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? raw.slice(0, 10) : raw;
      break;
    case 'list':
      value = def.options.find((o) => o.toLowerCase() === raw.toLowerCase()) ?? raw;
      break;
    case 'email':
      value = raw.toLowerCase();
      break;
    case 'phone':
      value = raw.replace(/[\s().-]/g, '');
      break;
  }
  const problem = fieldValueProblem(def, value);
  return problem ? { error: `"${raw}": ${problem}` } : { value };
}

export const updateContactFieldStep = defineStep({
  type: 'update_contact_field',
  outside: outsideWhenConnected,
  async run(ctx) {
    const key = ctx.config.field;
    const text = ctx.render(ctx.config.value);
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
