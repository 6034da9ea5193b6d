import { triggerItemsSchema, type FireTriggerBody } from '../../lib/contracts/apps';
import type { Principal } from '../auth/principal';
import { HIDDEN_ACK, notesOf, resolveContactRef } from './contact-ref';
import { inTransaction } from '../events/unit-of-work';
import { forbidden, HttpError, issuesToDetails, unprocessable } from '../http-error';
import { refuseNul } from '../http/refuse-nul';
import type { Services } from '../services';
import { keyReused, requestHash, sameRequest } from '../idempotency/request-key';
import { fromJson, isUniqueViolation, toJson } from '../store/database';
import { nowIso } from '../ids';
import { everyItem } from '../../lib/workflow/app-trigger-items';
import { getApp } from './store';

export interface FireResult { eventId: string | null; runIds: string[]; notes?: string[]; duplicate: boolean }

/**
 * An installed app fires one of its triggers for a contact: the items are checked against the
 * trigger's field types, then the event is recorded (with every item of the trigger, null when
 * not sent) and dispatched to the `mini_app` workflows listening for `${appId}:${triggerKey}` in
 * one transaction.
 */
export async function fireTrigger(
  services: Services, principal: Principal | null, appId: string, triggerKey: string, body: FireTriggerBody, deliveryId?: string,
): Promise<FireResult> {
  const { db } = services;
  if (principal?.kind !== 'app' || principal.appId !== appId) {
    throw forbidden('Only the API key of this app\'s installation may fire its triggers');
  }
  const app = await getApp(db, appId);
  const trigger = app.manifest.triggers.find((t) => t.key === triggerKey);
  if (!trigger) {
    const known = app.manifest.triggers.map((t) => t.key).join(', ') || 'none';
    throw new HttpError(404, 'not_found', `The app "${app.manifest.name}" has no trigger "${triggerKey}"; its triggers: ${known}`);
  }
  // An app retrying a request it got no answer to sends the same Idempotency-Key: one event only.
  const idempotencyKey = deliveryId ? `app:${appId}:${triggerKey}:${deliveryId}` : undefined;
  const hash = idempotencyKey ? requestHash(JSON.stringify(body)) : undefined;
  const hidden = !principal.scopes.includes('contacts.read');
  if (idempotencyKey) {
    const previous = await previousAck(services, idempotencyKey, hash);
    if (previous) return hidden ? { ...HIDDEN_ACK, duplicate: false } : previous;
  }
  const items = triggerItemsSchema(trigger, app.manifest.fields).safeParse(body.items);
  if (!items.success) {
    const details = issuesToDetails(items.error.issues, 'items');
    throw unprocessable(`The items do not fit trigger "${trigger.key}": ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  refuseNul(items.data, 'items');
  // Without contacts.read the answer is the same whether or not the contact exists.
  const { contact } = await resolveContactRef(db, principal, body.contact);
  if (!contact) {
    // The key is kept as for a found contact: a reuse with another body is then a 409 either way.
    if (idempotencyKey) await rememberUnmatched(services, idempotencyKey, hash);
    return { ...HIDDEN_ACK, duplicate: false };
  }

  try {
    let note: string | undefined;
    const ack = await inTransaction(db, (uow) => services.events.record(uow, {
      type: 'mini_app.triggered',
      payload: { contactId: contact.id, appId, triggerKey, items: everyItem(trigger.items, items.data as Record<string, unknown>) },
    }, { source: 'api', onNote: (n) => { note = n; }, ...(idempotencyKey ? { idempotencyKey, ...(hash ? { requestHash: hash } : {}) } : {}) }));
    return hidden ? { ...HIDDEN_ACK, duplicate: false } : { ...ack, ...notesOf(note), duplicate: false };
  } catch (err) {
    // The same key twice at once: the second answers like the first.
    const previous = idempotencyKey && isUniqueViolation(err) ? await previousAck(services, idempotencyKey, hash) : undefined;
    if (previous) return hidden ? { ...HIDDEN_ACK, duplicate: false } : previous;
    throw err;
  }
}

async function previousAck(services: Services, key: string, hash: string | undefined): Promise<FireResult | undefined> {
  const event = await services.db.selectFrom('events').select(['id', 'run_ids', 'request_hash', 'note']).where('idempotency_key', '=', key).executeTakeFirst();
  if (!event) {
    const unmatched = await services.db.selectFrom('step_effects').select('result').where('key', '=', unmatchedKey(key)).executeTakeFirst();
    if (!unmatched) return undefined;
    if (!sameRequest(fromJson<{ requestHash?: string }>(unmatched.result, {}).requestHash, hash)) throw keyReused();
    return { ...HIDDEN_ACK, duplicate: true };
  }
  if (!sameRequest(event.request_hash, hash)) throw keyReused();
  return { eventId: event.id, runIds: fromJson<string[]>(event.run_ids, []), ...notesOf(event.note), duplicate: true };
}

/**
 * A key whose contact was not found (only a caller without contacts.read gets that far): nothing
 * is recorded as an event, but the key and its body are, or a 409 on reuse would tell this caller
 * that the contact of the first request exists.
 */
const unmatchedKey = (key: string) => `unmatched:${key}`;
async function rememberUnmatched(services: Services, key: string, hash: string | undefined) {
  await services.db.insertInto('step_effects').values({ key: unmatchedKey(key), result: toJson({ requestHash: hash ?? null }), created_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
}
