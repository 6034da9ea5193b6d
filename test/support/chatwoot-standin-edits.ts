import type { ChatwootStandin } from './chatwoot-standin';

/**
 * A message changed in the Chatwoot stand-in, and the `message_updated` body Chatwoot posts for it:
 * WebhookListener#message_updated (app/listeners/webhook_listener.rb:35-43 @ 03df4e06) sends
 * `message.webhook_data.merge(event:)` on every saved change of the message (message.rb
 * `after_update_commit :dispatch_update_event`), with no changed_attributes (shared FACTS §1).
 * - `content`: new words (a customer's edit through their channel, Telegram::UpdateMessageService
 *   `@message.update!(content:)`; Chatwoot has no edit of an agent's words:
 *   app/controllers/api/v1/accounts/conversations/messages_controller.rb);
 * - `deleted`: deleted by an agent: content "This message was deleted" and content_attributes
 *   `deleted: true` (shared payloads/message_updated.json);
 * - nothing: another change (a delivery status, a reaction), the words as they were.
 * The save touches the conversation (`belongs_to :conversation, touch: true`).
 */
export function messageUpdated(cw: ChatwootStandin, conversationId: number, messageId: number, change: { content?: string; deleted?: boolean } = {}, html = true) {
  const conv = cw.conversations.get(conversationId)!;
  const m = conv.messages.find((x) => x.id === messageId)!;
  if (change.content !== undefined) m.content = change.content;
  if (change.deleted) Object.assign(m, { content: 'This message was deleted', deleted: true, attachments: [] });
  cw.touch(conv);
  m.updated_at = new Date(conv.updated_at * 1000).toISOString();
  return { ...cw.messagePayload(conversationId, messageId, html), event: 'message_updated' };
}
