import { triggerItemsSchema, type FireTriggerBody } from '../../lib/contracts/apps';
import type { Principal } from '../auth/principal';
import { resolveContactRef } from './contact-ref';
import { forbidden, HttpError, issuesToDetails, unprocessable } from '../http-error';
import { refuseNul } from '../http/refuse-nul';
import type { Services } from '../services';
import { callerScope, keyedRequest, previousAck, recordKeyed, rememberUnmatched, type FireResult } from './keyed-event';
import { everyItem } from '../../lib/workflow/app-trigger-items';
import { getApp } from './store';

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
  if (principal?.kind !== 'app') throw forbidden('Only the API key of this app\'s installation may fire its triggers');
  // Each workspace registers the app under its own id: an app installed in several that fires
  // with one workspace's id and another's key is told which id goes with this key.
  if (principal.appId !== appId) {
    throw forbidden(`This API key belongs to app ${principal.appId}, not ${appId}: fire its triggers at POST /api/v1/apps/${principal.appId}/triggers/${triggerKey}, `
      + 'with the appId of the subscribe request that brought the key (each workspace registers the app under its own id)');
  }
  const app = await getApp(db, appId);
  const trigger = app.manifest.triggers.find((t) => t.key === triggerKey);
  if (!trigger) {
    const known = app.manifest.triggers.map((t) => t.key).join(', ') || 'none';
    throw new HttpError(404, 'not_found', `The app "${app.manifest.name}" has no trigger "${triggerKey}"; its triggers: ${known}`);
  }
  // An app retrying a request it got no answer to sends the same Idempotency-Key: one event only (keyed-event.ts).
  const keyed = keyedRequest(`${callerScope(principal, 'app')}:${triggerKey}`, deliveryId, body);
  const hidden = !principal.scopes.includes('contacts.read');
  const previous = await previousAck(services, keyed, hidden);
  if (previous) return previous;
  // Own keys only, in and out: an item called `constructor` that the app left out is not every
  // object's own (a manifest stored before such keys were refused, app-manifest-refusals.ts).
  const items = triggerItemsSchema(trigger, app.manifest.fields).safeParse(ownKeysOnly(body.items));
  if (!items.success) {
    const details = issuesToDetails(items.error.issues, 'items');
    throw unprocessable(`The items do not fit trigger "${trigger.key}": ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  refuseNul(items.data, 'items');
  // Without contacts.read the answer is the same whether or not the contact exists; the key is
  // kept as for a found contact, so a reuse with another body is a 409 either way.
  const { contact } = await resolveContactRef(db, principal, body.contact);
  if (!contact) return rememberUnmatched(services, keyed);
  return recordKeyed(services, keyed, hidden, {
    type: 'mini_app.triggered',
    payload: { contactId: contact.id, appId, triggerKey, items: everyItem(trigger.items, ownKeysOnly(items.data as Record<string, unknown>)) },
  }, nothingListensNote(app.manifest.name, trigger));
}

/**
 * Every published workflow on the trigger either starts a run or says why not (dispatcher.ts), so
 * an event with neither has no listener: the developer testing the app learns that, not a bare
 * `runIds: []`. Only the app's own words (no internal ids), as a webhook sender's notes.
 */
const nothingListensNote = (appName: string, trigger: { key: string; name: string }) =>
  `No published workflow uses trigger "${trigger.key}" (${trigger.name}) of app "${appName}"; no run started: publish a workflow with this trigger in the workspace`;

const ownKeysOnly = (values: Record<string, unknown>): Record<string, unknown> => Object.assign(Object.create(null) as Record<string, unknown>, values);
