import type { Conversation, ConversationInbox } from '../../../lib/contracts/conversations';
import type { Services } from '../../services';
import { KIND, openConnection } from './connections';

/**
 * The Chatwoot account a conversation lives in, and where an agent opens it: the dashboard's
 * /app/accounts/<account>/conversations/<number> (Chatwoot's own route, as the extension's
 * adapter reads it). Null for any other conversation, or once the account was disconnected.
 */
export async function chatwootInboxOf(services: Services, conversation: Conversation): Promise<ConversationInbox | null> {
  if (!conversation.connectionId || !conversation.externalId) return null;
  const row = await services.db.selectFrom('connections').selectAll().where('id', '=', conversation.connectionId).executeTakeFirst();
  if (!row || row.kind !== KIND) return null;
  const { config } = openConnection(services, row);
  return {
    kind: KIND, name: row.name, externalId: conversation.externalId,
    url: `${config.origin}/app/accounts/${config.accountId}/conversations/${encodeURIComponent(conversation.externalId)}`,
  };
}
