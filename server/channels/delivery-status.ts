import type { UnitOfWork } from '../events/unit-of-work';
import { inTransaction } from '../events/unit-of-work';
import { nowIso } from '../ids';
import type { Services } from '../services';
import type { StatusItem } from '../webhooks/meta-payloads';
import { findChannel } from './connections';
import { lateRefusal } from './late-fallback';
import { metaErrorCode, RE_ENGAGEMENT } from './meta-advice';

// Meta does not promise status webhooks in order (a `read` may come before `delivered`, and a
// `failed` may follow a `delivered` on another device): a status only moves a message forward.
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object
const RANK: Record<string, number> = { pending: 0, unknown: 0, retrying: 0, accepted: 1, sent: 2, failed: 3, delivered: 4, read: 5 };
const rank = (s: string | null | undefined) => RANK[s ?? 'pending'] ?? 0;

async function applyOne(uow: UnitOfWork, services: Services, externalId: string, status: string, error: string | null): Promise<'changed' | 'kept' | 'no_message'> {
  const rows = await uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.id', 'messages.delivery_status', 'messages.send_key', 'conversations.id as conversation_id', 'conversations.contact_id'])
    .where('messages.external_id', '=', externalId).where('messages.direction', '=', 'outgoing').execute();
  if (rows.length === 0) return 'no_message';
  let changed = false;
  for (const row of rows) {
    if (rank(row.delivery_status) >= rank(status)) continue;
    await uow.trx.updateTable('messages').set({ delivery_status: status, delivery_error: error, delivery_updated_at: nowIso() })
      .where('id', '=', row.id).execute();
    changed = true;
    // WhatsApp took it, then refused it as outside its 24-hour window: a workflow's fallback is due.
    if (status === 'failed' && row.send_key && metaErrorCode(error) === RE_ENGAGEMENT) await lateRefusal(uow, services, row.send_key);
    uow.afterCommit(() => services.live.publish({ type: 'conversation.changed', conversationId: row.conversation_id, contactId: row.contact_id }));
  }
  return changed ? 'changed' : 'kept';
}

/**
 * Messenger's watermark: the Page's messages to this person (on this Page, in any of the contact's
 * conversations) sent before it take the status. A message counts from when it was stored, just
 * before the Send API call, so Meta's own timestamp of it is later; one still without Meta's id
 * (its send under way) is left to its own receipt.
 */
async function applyWatermark(uow: UnitOfWork, services: Services, s: StatusItem & { watermark: NonNullable<StatusItem['watermark']> }): Promise<boolean> {
  const page = s.accountId ? await findChannel(uow.trx, 'messenger', s.accountId) : undefined;
  const person = await uow.trx.selectFrom('channel_identities').select('contact_id')
    .where('channel', '=', 'messenger').where('external_id', '=', s.watermark.psid).executeTakeFirst();
  if (!page || !person) return false;
  const behind = Object.keys(RANK).filter((k) => rank(k) >= rank('accepted') && rank(k) < rank(s.status));
  const rows = await uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.id', 'conversations.id as conversation_id', 'conversations.contact_id'])
    .where('conversations.contact_id', '=', person.contact_id).where('messages.connection_id', '=', page.id)
    .where('messages.direction', '=', 'outgoing').where('messages.external_id', 'is not', null).where('messages.delivery_status', 'in', behind)
    .where('messages.created_at', s.watermark.inclusive ? '<=' : '<', s.watermark.before).execute();
  for (const row of rows) {
    await uow.trx.updateTable('messages').set({ delivery_status: s.status, delivery_error: null, delivery_updated_at: nowIso() }).where('id', '=', row.id).execute();
    uow.afterCommit(() => services.live.publish({ type: 'conversation.changed', conversationId: row.conversation_id, contactId: row.contact_id }));
  }
  return rows.length > 0;
}

/** Applies a status webhook to the outgoing messages it names (or its watermark covers); a status for an id not stored yet waits. True when something changed. */
export async function applyDeliveryStatus(uow: UnitOfWork, services: Services, s: StatusItem): Promise<boolean> {
  let changed = s.watermark ? await applyWatermark(uow, services, { ...s, watermark: s.watermark }) : false;
  for (const externalId of s.externalIds) {
    const outcome = await applyOne(uow, services, externalId, s.status, s.error);
    if (outcome === 'changed') changed = true;
    if (outcome !== 'no_message') continue;
    // Possibly our own send whose answer is not stored yet; kept (furthest status only) until it is.
    const early = await uow.trx.selectFrom('early_delivery_statuses').select('status').where('external_id', '=', externalId).executeTakeFirst();
    if (early && rank(early.status) >= rank(s.status)) continue;
    // Statuses of messages sent by other tools on the same number never find theirs: kept a day.
    await uow.trx.deleteFrom('early_delivery_statuses').where('created_at', '<', new Date(Date.now() - 86_400_000).toISOString()).execute();
    await uow.trx.insertInto('early_delivery_statuses').values({ external_id: externalId.slice(0, 300), status: s.status, error: s.error, created_at: nowIso() })
      .onConflict((oc) => oc.column('external_id').doUpdateSet({ status: s.status, error: s.error })).execute();
    changed = true;
    // PostgreSQL: the send may have stored this id after our look, and looked for an early status
    // before our commit (applyEarlyStatus): then neither applied it, and a late 131047 was lost.
    uow.afterCommit(() => { void applyIfStoredSince(services, externalId); });
  }
  return changed;
}

async function applyIfStoredSince(services: Services, externalId: string) {
  try {
    const stored = await services.db.selectFrom('messages').select('id').where('external_id', '=', externalId).where('direction', '=', 'outgoing').executeTakeFirst();
    if (stored) await applyEarlyStatus(services, externalId);
  } catch (err) {
    services.log.warn({ err, externalId }, 'could not apply an early delivery status');
  }
}

/** After a send stored Meta's id: applies a status that arrived first, if any. */
export async function applyEarlyStatus(services: Services, externalId: string): Promise<void> {
  await inTransaction(services.db, async (uow) => {
    const early = await uow.trx.selectFrom('early_delivery_statuses').selectAll().where('external_id', '=', externalId).executeTakeFirst();
    if (!early) return;
    await applyOne(uow, services, externalId, early.status, early.error);
    await uow.trx.deleteFrom('early_delivery_statuses').where('external_id', '=', externalId).execute();
  });
}
