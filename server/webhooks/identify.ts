import type { IncomingWebhookTrigger } from '../../lib/contracts/triggers';
import type { WebhookTestItem } from '../../lib/contracts/webhooks';
import { extractIdentifier, extractMappings, type MappingError, type MappedValue } from '../../lib/workflow/jsonpath-mapping';
import { extractItems, itemPlan } from '../../lib/workflow/webhook-items';
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
  /** When the identifier iterates: per item, its contacts and the variables its runs get. */
  items?: z.infer<typeof WebhookTestItem>[];
}

/**
 * What a webhook body yields for a trigger (the mapping tester): the contacts it names and what
 * each mapping selects in the whole body, and with items what each item's runs get.
 */
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
  const matched = new Map<string, string | undefined>();
  for (const raw of found.values) {
    if (trigger.identifier.type === 'phone') {
      const parsed = matchablePhone(raw, country);
      if ('error' in parsed) invalid.push(parsed.error);
    }
    const id = matched.has(raw) ? matched.get(raw) : await lookup(db, trigger.identifier.type, raw, country);
    matched.set(raw, id);
    if (id && !contactIds.includes(id)) contactIds.push(id);
    if (!id) unmatched.push(raw);
  }
  const error = invalid.length > 0 ? invalid.join('; ') : undefined;
  const result: Extraction = { identifier: { ...base, values: found.values, ...(error ? { error } : {}) }, contactIds, unmatched, variables: values, errors };
  const plan = itemPlan(trigger.identifier.jsonKey, trigger.mappings ?? []);
  const byItem = plan ? extractItems(body, trigger.identifier.jsonKey, plan) : undefined;
  if (byItem && 'items' in byItem) {
    result.items = byItem.items.map((item) => ({
      path: item.path,
      identifier: item.values,
      contactIds: [...new Set(item.values.flatMap((raw) => matched.get(raw) ?? []))],
      variables: { ...byItem.shared.values, ...item.variables },
      errors: [...byItem.shared.errors, ...item.errors],
    }));
  }
  return result;
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
