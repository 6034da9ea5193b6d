import type { UnitOfWork } from '../events/unit-of-work';
import { nowIso } from '../ids';
import type { Services } from '../services';
import type { StatusItem } from '../webhooks/meta-payloads';

// Meta does not promise status webhooks in order (a `read` may come before `delivered`, and a
// `failed` may follow a `delivered` on another device): a status only moves a message forward.
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object
const RANK: Record<string, number> = { pending: 0, unknown: 0, accepted: 1, sent: 2, failed: 3, delivered: 4, read: 5 };

/** Applies a status webhook to the outgoing messages it names; true when one changed. */
export async function applyDeliveryStatus(uow: UnitOfWork, services: Services, s: StatusItem): Promise<boolean> {
  let changed = false;
  for (const externalId of s.externalIds) {
    const rows = await uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.id', 'messages.delivery_status', 'messages.connection_id', 'conversations.id as conversation_id', 'conversations.contact_id'])
      .where('messages.external_id', '=', externalId).where('messages.direction', '=', 'outgoing').execute();
    for (const row of rows) {
      if ((RANK[row.delivery_status ?? 'pending'] ?? 0) >= RANK[s.status]!) continue;
      await uow.trx.updateTable('messages').set({ delivery_status: s.status, delivery_error: s.error, delivery_updated_at: nowIso() })
        .where('id', '=', row.id).execute();
      changed = true;
      uow.afterCommit(() => services.live.publish({ type: 'conversation.changed', conversationId: row.conversation_id, contactId: row.contact_id }));
    }
  }
  return changed;
}
