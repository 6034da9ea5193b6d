import type { FieldDefinition, FieldValue } from '../../lib/contracts/contacts';
import { E164 } from '../../lib/contracts/common';
import { notFound, unprocessable, type ErrorDetail } from '../http-error';
import { nowIso } from '../ids';
import type { UnitOfWork } from '../events/unit-of-work';
import { runShaped } from '../store/compiled-sql';
import { fromJson, toJson, type Executor } from '../store/database';

const toField = (r: { key: string; label: string; type: string; options: string }): FieldDefinition => ({
  key: r.key, label: r.label, type: r.type as FieldDefinition['type'], options: fromJson<string[]>(r.options, []),
});

export async function listFields(db: Executor): Promise<FieldDefinition[]> {
  return (await runShaped(db, 'listFields', [], () => db.selectFrom('field_definitions').selectAll().orderBy('key'))).map(toField);
}

/** listFields, read once per run round (uow.reads). */
export async function fieldsIn(uow: UnitOfWork): Promise<FieldDefinition[]> {
  if (!uow.reads) return listFields(uow.trx);
  return uow.reads.fields ??= await listFields(uow.trx);
}

export async function upsertField(db: Executor, f: FieldDefinition): Promise<FieldDefinition> {
  const values = { label: f.label, type: f.type, options: toJson(f.options) };
  await db.insertInto('field_definitions').values({ key: f.key, ...values, created_at: nowIso() })
    .onConflict((oc) => oc.column('key').doUpdateSet(values)).execute();
  return f;
}

export async function deleteField(db: Executor, key: string) {
  const r = await db.deleteFrom('field_definitions').where('key', '=', key).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound(`Field ${key}`);
}

/** A value must fit its field's type; unknown field keys are refused (fields are defined first). */
export function fieldValueProblem(def: FieldDefinition | undefined, value: FieldValue): string | undefined {
  if (!def) return 'Unknown field; define it under /fields first';
  if (value === null) return undefined;
  switch (def.type) {
    case 'number': return typeof value === 'number' && Number.isFinite(value) ? undefined : 'Expected a number';
    case 'checkbox': return typeof value === 'boolean' ? undefined : 'Expected true or false';
    case 'date': return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'Expected a date YYYY-MM-DD';
    case 'list': return typeof value === 'string' && def.options.includes(value) ? undefined : `Expected one of: ${def.options.join(', ')}`;
    case 'url': return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value) ? undefined : 'Expected an http(s) URL';
    case 'phone': return E164.safeParse(value).success ? undefined : 'Expected a phone number in international format, e.g. +14155550123';
    case 'email': return typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? undefined : 'Expected an email address';
    default: return typeof value === 'string' ? undefined : 'Expected text';
  }
}

export async function validateFieldValues(db: Executor, values: Record<string, FieldValue>) {
  const defs = new Map((await listFields(db)).map((f) => [f.key, f]));
  const details: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(values)) {
    const problem = fieldValueProblem(defs.get(key), value);
    if (problem) details.push({ path: `body.fields.${key}`, message: problem });
  }
  if (details.length) throw unprocessable(`Invalid field values: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
}
