import type { ConversationPlace } from '../../domain/conversation-place';
import { messageAuthor } from './message-author';
import type { MirrorContext } from './mirror-contact';
import { applyIncomingMessage, latestMirror } from './mirror-conversation';
import { stampSeconds, type CwMessageEvent } from './payloads';

/**
 * A `message_updated` for a message not stored here, in a conversation that is: its
 * `message_created` was lost (Chatwoot sends each webhook once, no retry: shared FACTS §1), and a
 * status, a reaction or an edit saved it since. Both events carry the same `message.webhook_data`
 * (webhook_listener.rb:26-42), so it is stored as its message_created would have stored it:
 * customer, agent, note or bot alike (message-author.ts), dated by Chatwoot, its words as they
 * are now, and nothing more (not marked edited: no earlier words were seen here). Once: a late
 * message_created and the next sync find it by its Chatwoot id (applyIncomingMessage).
 * Not stored: a message of a conversation never mirrored (its conversation_created or the next
 * sync brings it), one written before the account was connected (history is not imported, only
 * each conversation's last message), and one deleted in Chatwoot.
 */
export async function storeMissedMessage(ctx: MirrorContext, msg: CwMessageEvent, place: ConversationPlace | undefined): Promise<void> {
  const skip = (why: string) => { ctx.notes.push(`Message ${msg.id} was changed in Chatwoot but is not stored here; ${why}`); };
  if (!(await latestMirror(ctx, msg.conversation.id))) return skip('nor is its conversation, which the next sync brings');
  if (msg.content_attributes?.deleted === true) return skip('it was deleted there');
  if (msg.message_type === 'activity') return skip('an activity line is not a message');
  const written = stampSeconds(msg.created_at) ?? stampSeconds(msg.conversation.messages.find((m) => m.id === msg.id)?.created_at);
  if (written !== null && written < Math.floor(Date.parse(ctx.conn.row.created_at) / 1000)) return skip('it was written before the account was connected');
  const { from, bot } = messageAuthor(msg);
  const { stored } = await applyIncomingMessage(ctx, msg, from, false, place, bot);
  if (stored) ctx.notes.push(`Message ${msg.id} had not arrived (its message_created was lost); stored now`);
}
