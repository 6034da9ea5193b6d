import type { UnitOfWork } from '../events/unit-of-work';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { toJson } from '../store/database';
import type { SendSpec } from './send-spec';

// WhatsApp usually takes a free-form message sent after the customer's 24-hour window closed (the
// send answers a wamid) and refuses it only later, by a status webhook: `statuses[].status`
// "failed" with `errors[].code` 131047 (Re-engagement message). Meta's status webhook reference
// lists "Your message is unable to be sent to a WhatsApp user" among its triggers, with the
// `errors` array: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
// (codes: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). Seen in
// the field: github.com/NousResearch/hermes-agent/issues/80056 ("A message accepted by Graph but
// failing delivery later (… 24h-window expiry code 131047) produces a failed status webhook").
// A workflow step's fallback template is its promise for exactly that case, so the fallback as the
// step rendered it is kept from before the send (late_fallbacks, migration 097) and sent when the
// refusal arrives (late-fallbacks.ts), under the key the step's own fallback uses: once, whichever
// way WhatsApp refuses.

/** The fallback's send key: the same whether WhatsApp refused in the send's answer or later. */
export const fallbackKey = (sendKey: string) => `${sendKey}:fallback`;

/** A message whose refusal may come later: Meta retries a webhook for up to 7 days. */
export const KEEP_DAYS = 7;

/** Kept before the message is sent: a refusal may reach us before the send's answer does. */
export async function keepLateFallback(services: Services, k: { sendKey: string; conversationId: string; fallback: SendSpec }): Promise<void> {
  await services.db.insertInto('late_fallbacks').values({ send_key: k.sendKey, conversation_id: k.conversationId, spec: toJson(k.fallback), due_at: null, created_at: nowIso(), tries: 0 })
    .onConflict((oc) => oc.column('send_key').doNothing()).execute();
}

/** No refusal can come later for a message Meta did not take (no wamid), or one whose fallback went already. */
export async function dropLateFallback(services: Services, sendKey: string): Promise<void> {
  await services.db.deleteFrom('late_fallbacks').where('send_key', '=', sendKey).where('due_at', 'is', null).execute();
}

export const lateFallbackHooks: { due?: (services: Services) => void } = {};

/**
 * In the status webhook's transaction: WhatsApp refused this message with 131047. Its fallback,
 * if it has one, becomes due with the failure itself (a crash after the commit leaves it due, for
 * the worker's next look); an agent's reply has none, and nothing changes for it.
 */
export async function lateRefusal(uow: UnitOfWork, services: Services, sendKey: string): Promise<void> {
  const due = await uow.trx.updateTable('late_fallbacks').set({ due_at: nowIso() }).where('send_key', '=', sendKey).where('due_at', 'is', null).executeTakeFirst();
  if (Number(due.numUpdatedRows) > 0) uow.afterCommit(() => lateFallbackHooks.due?.(services));
}
