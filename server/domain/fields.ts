import type { FieldDefinition, FieldValue } from '../../lib/contracts/contacts';
import { normalizePhone } from '../../lib/contracts/common';
import { fieldValueProblem } from '../../lib/workflow/field-values';
import { nationalReading } from '../../lib/workflow/national-phone';
import { cachedDefaultCountry } from './default-country';
import { sql } from 'kysely';
import { conflict, notFound, unprocessable, type ErrorDetail } from '../http-error';
import { nowIso } from '../ids';
import type { UnitOfWork } from '../events/unit-of-work';
import { runShaped } from '../store/compiled-sql';
import { fromJson, isPostgres, toJson, type Db, type Executor } from '../store/database';
import { fieldUses, publishedUses, unfinishedRunUses } from '../engine/workflows/uses';

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

/**
 * Deletes a field definition and every contact's value of it (a field defined again later with
 * the same key starts empty). A field a published workflow uses (fieldUses: a trigger on it, a
 * step setting it, a template reading it) cannot go away: 409 naming the workflows, so the admin
 * changes or unpublishes them first; so too while unfinished runs follow an earlier version whose
 * steps use it. Drafts may keep it: publishing them names the missing field (422).
 */
export async function deleteField(db: Db, key: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Deleted first: on PostgreSQL the row stays locked until this ends, so a publish checking the
    // field (publish-checks reads it FOR SHARE) waits and then finds it gone, and a publish that
    // read it first has committed before the workflows are read below.
    const r = await trx.deleteFrom('field_definitions').where('key', '=', key).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`Field ${key}`);
    const published = await publishedUses(trx, (def) => fieldUses(def, key));
    if (published.length > 0) {
      const list = published.map((w) => `"${w.name}" (${w.id}) uses "${key}" in ${w.uses.map((u) => u.where).join(', ')}`);
      throw conflict(`Field "${key}" is used by published workflows; change or unpublish them first: ${list.join('; ')}`);
    }
    const pending = await unfinishedRunUses(trx, (def) => fieldUses(def, key));
    if (pending.length > 0) {
      const list = pending.map((w) => `"${w.name}" (${w.id}) version ${w.version} uses "${key}" in ${w.uses.map((u) => u.where).join(', ')} (${w.runs} ${w.runs === 1 ? 'run' : 'runs'})`);
      throw conflict(`Field "${key}" is used by earlier workflow versions that unfinished runs follow; let those runs finish or cancel them first: ${list.join('; ')}`);
    }
    await removeFieldValues(trx, key);
  });
}

/** Drops `key` from every contact's fields (a JSON text column) that has it, in one statement. */
async function removeFieldValues(trx: Executor, key: string): Promise<void> {
  const now = nowIso();
  if (isPostgres(trx)) {
    // Locked in id order first, as run rounds lock their contacts, so the two never wait on each other in a circle.
    await sql`SELECT id FROM contacts WHERE jsonb_exists(fields::jsonb, ${key}::text) ORDER BY id FOR UPDATE`.execute(trx);
    await sql`UPDATE contacts SET fields = (fields::jsonb - ${key}::text)::text, updated_at = ${now}
      WHERE jsonb_exists(fields::jsonb, ${key}::text)`.execute(trx);
  } else {
    const path = `$.${JSON.stringify(key)}`;
    await sql`UPDATE contacts SET fields = json_remove(fields, ${path}), updated_at = ${now}
      WHERE json_type(fields, ${path}) IS NOT NULL`.execute(trx);
  }
}

// One check for the API and the workflow steps (which also run it when publishing): lib/workflow.
export { fieldValueProblem };

/**
 * Field values of an API body, as stored: a phone field's number written as people do
 * ("+49 151 1234 5678", or "(11) 91234-5678" with the workspace in BR) becomes E.164, as the
 * contact's own phone does (routes/contacts/national-phone.ts). Throws a 422 listing every value
 * that does not fit its field.
 */
export async function validateFieldValues(db: Executor, values: Record<string, FieldValue>): Promise<Record<string, FieldValue>> {
  const defs = await listFields(db);
  const phoneGiven = defs.some((f) => f.type === 'phone' && typeof values[f.key] === 'string');
  const checked = checkFieldValues(defs, values, 'body.fields', phoneGiven ? await cachedDefaultCountry(db) : null);
  if ('details' in checked) throw unprocessable(`Invalid field values: ${checked.details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, checked.details);
  return checked.values;
}

/**
 * validateFieldValues against definitions already read (an import checks thousands of rows
 * against one read): the values as stored, or every problem, each at `<path>.<key>`. A phone
 * without its country code is read in `defaultCountry` when there is one; unset, it needs "+".
 */
export function checkFieldValues(defs: readonly FieldDefinition[], values: Record<string, FieldValue>, path: string, defaultCountry: string | null = null):
  { values: Record<string, FieldValue> } | { details: ErrorDetail[] } {
  const byKey = new Map(defs.map((f) => [f.key, f]));
  const details: ErrorDetail[] = [];
  const normalized: Record<string, FieldValue> = {};
  for (const [key, given] of Object.entries(values)) {
    const def = byKey.get(key);
    // Spaces around a value are never part of it (" gold " is the list's "gold"): as stored (storedFieldValues).
    let value = typeof given === 'string' ? given.trim() : given;
    if (def?.type === 'phone' && typeof value === 'string') {
      // National numbers as the contact's own phone reads them, with the same words when unreadable.
      const read = nationalReading(value, defaultCountry);
      if (read && 'error' in read) { details.push({ path: `${path}.${key}`, message: read.error }); continue; }
      if (read) value = read.phone;
      const checked = normalizePhone(value);
      if (checked.ok) value = checked.phone;
    }
    const problem = fieldValueProblem(def, value);
    if (problem) details.push({ path: `${path}.${key}`, message: problem });
    normalized[key] = value;
  }
  return details.length ? { details } : { values: normalized };
}
