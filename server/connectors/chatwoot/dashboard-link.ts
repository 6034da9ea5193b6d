import type { Conversation, ConversationInbox } from '../../../lib/contracts/conversations';
import { deletedThere } from '../../engine/steps/via-connector';
import type { Services } from '../../services';
import { KIND, openConnection } from './connections';
import { tombstoneOf } from './tombstones';

/**
 * The Chatwoot inbox a conversation lives in, and where an agent opens it: the dashboard's
 * /app/accounts/<account>/conversations/<number> (Chatwoot's own route, as the extension's
 * adapter reads it). `name` is the Chatwoot inbox's ("Website"), the account's until a sync or
 * delivery names it. A conversation of an account disconnected since still says where it lives,
 * marked `disconnected`; one Chatwoot deleted is marked `deleted`, by the rule the API refuses
 * actions with (via-connector.ts), so the inbox offers only what the API takes. Null for any other
 * conversation.
 */
export async function chatwootInboxOf(services: Services, conversation: Conversation): Promise<ConversationInbox | null> {
  if (!conversation.connectionId || !conversation.externalId) return null;
  const row = await services.db.selectFrom('connections').selectAll().where('id', '=', conversation.connectionId).executeTakeFirst();
  const account = row?.kind === KIND ? { name: row.name, ...openConnection(services, row).config } : row ? undefined : await tombstoneOf(services.db, conversation.connectionId);
  if (!account) return null;
  const place = await services.db.selectFrom('conversations').select(['inbox_external_id']).where('id', '=', conversation.id).executeTakeFirst();
  return {
    kind: KIND, name: conversation.inboxName ?? account.name, account: account.name,
    inboxId: place?.inbox_external_id ?? null, channel: conversation.channelType ?? null,
    externalId: conversation.externalId,
    url: `${account.origin}/app/accounts/${account.accountId}/conversations/${encodeURIComponent(conversation.externalId)}`,
    ...(row ? {} : { disconnected: true }),
    ...(deletedThere(conversation) ? { deleted: true } : {}),
  };
}
