import type { ConversationPlace } from '../../domain/conversation-place';
import type { MirrorContext } from './mirror-contact';
import { applyConversation, applyIncomingMessage } from './mirror-conversation';
import { isIncoming, stampSeconds, type CwConversation } from './payloads';

/**
 * A conversation read over the REST API (a sync, or the extension resolving one not mirrored yet),
 * applied like a webhook: with its contact's attributes and the customer's last message (the one
 * a conversation payload carries), so the conversation shows what the customer wrote.
 */
export async function applyRead(ctx: MirrorContext, conv: CwConversation, place: ConversationPlace | undefined, opts: { reactivate?: boolean } = {}) {
  const applied = await applyConversation(ctx, conv, {
    version: stampSeconds(conv.updated_at), contactVersion: stampSeconds(conv.meta.sender.updated_at), place, ...(opts.reactivate ? { reactivate: true } : {}),
  });
  const last = conv.messages.at(-1);
  if (last && isIncoming(last.message_type) && !last.private) {
    await applyIncomingMessage(ctx, {
      id: last.id, content: last.content, attachments: last.attachments, content_attributes: last.content_attributes, created_at: last.created_at, conversation: conv,
    }, 'contact', applied.imported, place);
  }
  return applied;
}
