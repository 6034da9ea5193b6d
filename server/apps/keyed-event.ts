import type { DomainEvent } from '../../lib/contracts/events';
import type { Principal } from '../auth/principal';
import { inTransaction } from '../events/unit-of-work';
import { keyReused, requestHash, sameRequest } from '../idempotency/request-key';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { fromJson, isUniqueViolation, toJson } from '../store/database';
import { HIDDEN_ACK } from './contact-ref';
import { callerNotes } from './caller-notes';

export interface FireResult { eventId: string | null; runIds: string[]; notes?: string[]; duplicate: boolean }

/**
 * An outside caller's event (an app's Fire Trigger, "send sub flow") under its Idempotency-Key:
 * a caller retrying a request it got no answer to sends the same key and gets the first answer,
 * so a timeout never runs a workflow twice; the same key with another body is a 409.
 */
export interface KeyedRequest { key: string; hash: string }

/**
 * Whose keys they are: one caller's "k-1" is not another's (Stripe's keys are per account). The
 * strings are stored with the event and looked up for 24 hours, so they stay as first written:
 * a user `usr:<id>`; an app `inst:<installation>`, except on Fire Trigger, where it was
 * `app:<appId>` (the same caller there: only the app's own installation may fire, and an app
 * has one installation).
 */
export function callerScope(principal: Principal | null, app: 'installation' | 'app' = 'installation'): string {
  if (principal?.kind === 'user') return `usr:${principal.user.id}`;
  if (principal?.kind === 'app') return app === 'app' ? `app:${principal.appId}` : `inst:${principal.installationId}`;
  return 'anonymous';
}

/** `scope` keeps one caller's keys apart from another's (callerScope) and one route's from another's. */
export const keyedRequest = (scope: string, idempotencyKey: string | undefined, body: unknown): KeyedRequest | undefined =>
  (idempotencyKey ? { key: `${scope}:${idempotencyKey}`, hash: requestHash(JSON.stringify(body)) } : undefined);

/** The first answer to this key, `hidden` for a caller that may not read contacts; a 409 for another body. */
export async function previousAck(services: Services, keyed: KeyedRequest | undefined, hidden: boolean): Promise<FireResult | undefined> {
  if (!keyed) return undefined;
  const event = await services.db.selectFrom('events').select(['id', 'run_ids', 'request_hash', 'note']).where('idempotency_key', '=', keyed.key).executeTakeFirst();
  const unmatched = event ? undefined : await services.db.selectFrom('step_effects').select('result').where('key', '=', unmatchedKey(keyed.key)).executeTakeFirst();
  if (!event && !unmatched) return undefined;
  const stored = event ? event.request_hash : fromJson<{ requestHash?: string }>(unmatched!.result, {}).requestHash;
  if (!sameRequest(stored, keyed.hash)) throw keyReused();
  // Not even "this is a repeat" for a caller that may not read contacts: its answers never differ.
  if (hidden || !event) return { ...HIDDEN_ACK, duplicate: false };
  return { eventId: event.id, runIds: fromJson<string[]>(event.run_ids, []), ...await callerNotes(services.db, event.note, !hidden), duplicate: true };
}

/**
 * Records the event once per key: the same key at the same moment is answered as the first.
 * `unheardNote` is its note when nothing listens (EventInput.unheardNote): stored with the event,
 * so a repeat of the key says it again.
 */
export async function recordKeyed(services: Services, keyed: KeyedRequest | undefined, hidden: boolean, event: DomainEvent, unheardNote?: string): Promise<FireResult> {
  try {
    let note: string | undefined;
    const ack = await inTransaction(services.db, (uow) => services.events.record(uow, event, {
      source: 'api', onNote: (n) => { note = n; }, unheardNote, ...(keyed ? { idempotencyKey: keyed.key, requestHash: keyed.hash } : {}),
    }));
    services.runSignal.notify();
    return hidden ? { ...HIDDEN_ACK, duplicate: false } : { ...ack, ...await callerNotes(services.db, note, !hidden), duplicate: false };
  } catch (err) {
    const previous = keyed && isUniqueViolation(err) ? await previousAck(services, keyed, hidden) : undefined;
    if (previous) return previous;
    throw err;
  }
}

/**
 * A key whose contact was not found (only a caller without contacts.read gets that far): nothing
 * is recorded as an event, but the key and its body are, or a 409 on reuse would tell this caller
 * that the contact of the first request exists.
 */
const unmatchedKey = (key: string) => `unmatched:${key}`;
export async function rememberUnmatched(services: Services, keyed: KeyedRequest | undefined): Promise<FireResult> {
  if (keyed) {
    await services.db.insertInto('step_effects').values({ key: unmatchedKey(keyed.key), result: toJson({ requestHash: keyed.hash }), created_at: nowIso() })
      .onConflict((oc) => oc.column('key').doNothing()).execute();
  }
  return { ...HIDDEN_ACK, duplicate: false };
}
