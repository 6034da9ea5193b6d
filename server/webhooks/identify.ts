import type { IncomingWebhookTrigger } from '../../lib/contracts/triggers';
import { extractIdentifier, extractMappings, type MappingError, type MappedValue } from '../../lib/workflow/jsonpath-mapping';
import type { Executor } from '../store/database';
import { getDefaultCountry } from '../domain/default-country';
import { matchablePhone } from './phone';
import type { z } from 'zod';

type WebhookTrigger = z.infer<typeof IncomingWebhookTrigger>;

export interface Extraction {
  identifier: { type: string; jsonKey: string; values: string[]; error?: string };
  contactIds: string[];
  /** Identifier values that matched no contact. */
  unmatched: string[];
  variables: Record<string, MappedValue>;
  errors: MappingError[];
}

/** What a webhook body yields for a trigger: the contacts it names and the mapped variables. */
export async function extractWebhook(db: Executor, trigger: WebhookTrigger, body: unknown): Promise<Extraction> {
  const { values, errors } = extractMappings(body, trigger.mappings ?? []);
  const found = extractIdentifier(body, trigger.identifier.jsonKey);
  const base = { type: trigger.identifier.type, jsonKey: trigger.identifier.jsonKey };
  if ('error' in found) {
    return { identifier: { ...base, values: [], error: found.error }, contactIds: [], unmatched: [], variables: values, errors };
  }
  const contactIds: string[] = [];
  const unmatched: string[] = [];
  const country = trigger.identifier.type === 'phone' ? await getDefaultCountry(db) : null;
  const invalid: string[] = [];
  for (const raw of found.values) {
    if (trigger.identifier.type === 'phone') {
      const parsed = matchablePhone(raw, country);
      if ('error' in parsed) invalid.push(parsed.error);
    }
    const id = await lookup(db, trigger.identifier.type, raw, country);
    if (id && !contactIds.includes(id)) contactIds.push(id);
    if (!id) unmatched.push(raw);
  }
  const error = invalid.length > 0 ? invalid.join('; ') : undefined;
  return { identifier: { ...base, values: found.values, ...(error ? { error } : {}) }, contactIds, unmatched, variables: values, errors };
}

async function lookup(db: Executor, type: string, raw: string, country: string | null): Promise<string | undefined> {
  if (type === 'phone') {
    const parsed = matchablePhone(raw, country);
    if (!('phone' in parsed)) return undefined;
    const phone = parsed.phone;
    return (await db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirst())?.id;
  }
  if (type === 'email') {
    return (await db.selectFrom('contacts').select('id').where('email', '=', raw.toLowerCase()).executeTakeFirst())?.id;
  }
  return (await db.selectFrom('contacts').select('id').where('id', '=', raw).executeTakeFirst())?.id;
}
