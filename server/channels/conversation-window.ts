import type { ChannelWindow } from '../../lib/contracts/channels';
import type { Conversation } from '../../lib/contracts/conversations';
import type { Executor } from '../store/database';
import { isChannelKind } from './connections';
import { channelWindow } from './window';

/** The window of a conversation on a WhatsApp / Messenger channel; null for any other conversation. */
export async function channelWindowOf(db: Executor, conversation: Conversation): Promise<ChannelWindow | null> {
  if (!conversation.connectionId) return null;
  const connection = await db.selectFrom('connections').select(['kind', 'status', 'last_error']).where('id', '=', conversation.connectionId).executeTakeFirst();
  if (!connection || !isChannelKind(connection.kind)) return null;
  const window = await channelWindow(db, { contactId: conversation.contactId, connectionId: conversation.connectionId }, connection.kind);
  return { ...window, problem: connection.status === 'error' ? connection.last_error : null };
}
