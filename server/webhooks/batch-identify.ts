import { sql } from 'kysely';
import type { IncomingWebhookTrigger } from '../../lib/contracts/triggers';
import { extractIdentifier, extractMappings, identifierAbsent, type MappingError, type MappedValue } from '../../lib/workflow/jsonpath-mapping';
import { extractItems, type DeliveryItem, type ItemPlan } from '../../lib/workflow/webhook-items';
import { HttpError } from '../http-error';
import { isPostgres, type Executor } from '../store/database';
import { runShaped } from '../store/compiled-sql';
import { matchablePhone } from './phone';
import type { z } from 'zod';

// The same identification as identify.ts (extractWebhook), split in two so a whole batch of
// deliveries needs one contact query per identifier type instead of one per value.

type WebhookTrigger = z.infer<typeof IncomingWebhookTrigger>;
type IdentifierType = WebhookTrigger['identifier']['type'];

/**
 * What a body yields before any database read: raw identifier values (or why there are none) and
 * variables. With items (an identifier that iterates), `variables` are those read from the whole
 * body and each item adds its own (webhook-items.ts).
 */
export interface BodyExtraction {
  /** `absent`: the body names nobody (no key, null, blank), which is accepted without a run (identifierAbsent). */
  identifier: { type: IdentifierType; jsonKey: string; values: string[]; error?: string; absent?: boolean };
  variables: Record<string, MappedValue>;
  errors: MappingError[];
  items?: DeliveryItem[];
}

export function extractBody(trigger: WebhookTrigger, body: unknown, plan: ItemPlan | null = null): BodyExtraction {
  if (plan) return extractByItem(trigger, body, plan);
  const { values, errors } = extractMappings(body, trigger.mappings ?? []);
  const found = extractIdentifier(body, trigger.identifier.jsonKey);
  const base = { type: trigger.identifier.type, jsonKey: trigger.identifier.jsonKey };
  if ('error' in found) return { identifier: failed(base, body, found.error), variables: values, errors };
  return { identifier: { ...base, values: found.values }, variables: values, errors };
}

const failed = (base: { type: IdentifierType; jsonKey: string }, body: unknown, error: string): BodyExtraction['identifier'] =>
  ({ ...base, values: [], error, ...(identifierAbsent(body, base.jsonKey, error) ? { absent: true } : {}) });

function extractByItem(trigger: WebhookTrigger, body: unknown, plan: ItemPlan): BodyExtraction {
  const found = extractItems(body, trigger.identifier.jsonKey, plan);
  const base = { type: trigger.identifier.type, jsonKey: trigger.identifier.jsonKey };
  const { values: variables, errors } = found.shared;
  if ('error' in found) return { identifier: failed(base, body, found.error), variables, errors };
  return { identifier: { ...base, values: found.values }, variables, errors, items: found.items };
}

// Webhooks name the same people again and again; libphonenumber is a visible share of a request.
const phoneCache = new Map<string, { phone: string } | { error: string }>();
export function cachedPhone(raw: string, country: string | null): { phone: string } | { error: string } {
  const key = `${country ?? ''}\u0000${raw}`;
  let hit = phoneCache.get(key);
  if (hit === undefined) {
    hit = matchablePhone(raw, country);
    if (phoneCache.size >= 10_000) phoneCache.clear();
    phoneCache.set(key, hit);
  }
  return hit;
}

/** The column value a raw identifier is matched on, or undefined when it can match no contact. */
export function lookupValue(type: IdentifierType, raw: string, country: string | null = null): string | undefined {
  if (type === 'phone') {
    const hit = cachedPhone(raw, country);
    return 'phone' in hit ? hit.phone : undefined;
  }
  const value = type === 'email' ? raw.toLowerCase() : raw;
  // Stored text never holds NUL (both dialects refuse it): such a value matches nobody.
  return value.includes('\u0000') ? undefined : value;
}

const COLUMN = { phone: 'phone', email: 'email', contactId: 'id' } as const;
const IN_CHUNK = 5_000;

export type ContactIndex = Map<string, string>;
const indexKey = (type: IdentifierType, value: string) => `${type}\u0000${value}`;

/**
 * One query per identifier type (chunked) for every value a batch names: `type+value -> contact id`,
 * and each found contact's open conversation (the run's conversation), read in the same statement.
 */
export async function findContacts(db: Executor, wanted: Map<IdentifierType, Set<string>>): Promise<{ index: ContactIndex; openConversations: Map<string, string> }> {
  const index: ContactIndex = new Map();
  const openConversations = new Map<string, string>();
  const postgres = isPostgres(db);
  for (const [type, set] of wanted) {
    const values = [...set];
    const column = COLUMN[type];
    for (let i = 0; i < values.length; i += IN_CHUNK) {
      const part = values.slice(i, i + IN_CHUNK);
      // PostgreSQL: the values as one array, so the text (its prepared statement and plan) is the same for any count.
      const rows = postgres
        ? await runShaped(db, `findContacts:${column}:array`, [part], () =>
          db.selectFrom('contacts').select(['id', column, OPEN_CONVERSATION]).where(sql.ref(column), '=', sql<string>`ANY(${part}::text[])`))
        : await runShaped(db, `findContacts:${column}:${part.length}`, part, () =>
          db.selectFrom('contacts').select(['id', column, OPEN_CONVERSATION]).where(column, 'in', part));
      for (const row of rows) {
        const value = (row as Record<string, string | null>)[column];
        // The first row wins, as the single-value lookup's executeTakeFirst did.
        if (value != null && !index.has(indexKey(type, value))) index.set(indexKey(type, value), row.id);
        if (row.open_conversation) openConversations.set(row.id, row.open_conversation);
      }
    }
  }
  return { index, openConversations };
}

// At most one open conversation per contact (a partial unique index), found through that index.
const OPEN_CONVERSATION = sql<string | null>`(SELECT cv.id FROM conversations cv WHERE cv.contact_id = contacts.id AND cv.status = 'open' LIMIT 1)`.as('open_conversation');

/** The lookup values of one extraction, added to the batch's wanted set. */
export function want(wanted: Map<IdentifierType, Set<string>>, ex: BodyExtraction, country: string | null = null) {
  for (const raw of ex.identifier.values) {
    const value = lookupValue(ex.identifier.type, raw, country);
    if (value === undefined) continue;
    let set = wanted.get(ex.identifier.type);
    if (!set) wanted.set(ex.identifier.type, (set = new Set()));
    set.add(value);
  }
}

/** One run to start: its contact, and with items the item it came from (an index into `items`). */
export interface ItemRun { contactId: string; item: number }

/**
 * The contacts an extraction names (in order, once each) and the values that matched nobody (as
 * sent, once each: the 202 lists them). With items, also the runs: one per item and contact it
 * names (two orders of one customer are two runs). A delivery that names nobody here (no value,
 * no contact with it, not a phone number) is accepted with no run and a `note` saying why: a
 * guest order is routine, and a sender told 4xx retries it and, Shopify, ends up removing the
 * subscription. Only an identifier of the wrong kind (an object, too many values) is the 422.
 */
export function resolveContacts(index: ContactIndex, ex: BodyExtraction, country: string | null = null): { contactIds: string[]; unmatched: string[]; runs?: ItemRun[]; note?: string } | { error: HttpError } {
  const { type, jsonKey } = ex.identifier;
  const path = `body${jsonKey.slice(1)}`;
  if (ex.identifier.error && ex.identifier.absent) {
    return { contactIds: [], unmatched: [], note: `No contact identified: ${ex.identifier.error}; no run started` };
  }
  if (ex.identifier.error) {
    return { error: new HttpError(422, 'contact_not_identified', `Cannot identify the contact: ${ex.identifier.error}`, [{ path, message: ex.identifier.error }]) };
  }
  const contactIds: string[] = [];
  const unmatched: string[] = [];
  const invalid: string[] = [];
  for (const raw of ex.identifier.values) {
    const value = lookupValue(type, raw, country);
    if (value === undefined && type === 'phone') {
      const hit = cachedPhone(raw, country);
      if ('error' in hit) invalid.push(hit.error);
    }
    const id = value === undefined ? undefined : index.get(indexKey(type, value));
    if (id && !contactIds.includes(id)) contactIds.push(id);
    if (!id && !unmatched.includes(raw)) unmatched.push(raw);
  }
  // A number that is no phone number at all is said so, rather than "nobody has it".
  if (contactIds.length === 0 && invalid.length > 0) return { contactIds, unmatched, note: `${invalid.join('; ')}; no run started` };
  if (contactIds.length === 0) return { contactIds, unmatched, note: `No contact with ${type} ${unmatched.join(', ')}; no run started` };
  if (!ex.items) return { contactIds, unmatched };
  return { contactIds, unmatched, runs: itemRuns(index, ex.items, type, country) };
}

function itemRuns(index: ContactIndex, items: DeliveryItem[], type: IdentifierType, country: string | null): ItemRun[] {
  const runs: ItemRun[] = [];
  items.forEach((item, i) => {
    const named = new Set<string>();
    for (const raw of item.values) {
      const value = lookupValue(type, raw, country);
      const id = value === undefined ? undefined : index.get(indexKey(type, value));
      if (id && !named.has(id)) { named.add(id); runs.push({ contactId: id, item: i }); }
    }
  });
  return runs;
}
