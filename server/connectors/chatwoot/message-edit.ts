import { nowIso } from '../../ids';
import { editsOf, recordEdit } from '../../domain/message-edit';
import { chatwootMessageTime } from './message-time';
import type { ConversationPlace } from '../../domain/conversation-place';
import type { MirrorContext } from './mirror-contact';
import { storeMissedMessage } from './missed-message';
import { htmlToText, messageText, type CwMessageEvent } from './payloads';
import { sameAsRendered, STORED_MAX } from './rendered-words';

/**
 * Chatwoot's `message_updated` (app/listeners/webhook_listener.rb:35-43 @ 03df4e06: the message's
 * `webhook_data` + event, built from the record reloaded in the job; message.rb
 * `after_update_commit :dispatch_update_event`, sent on ANY saved change) for a message mirrored
 * here: a customer's edit (Telegram's edited_message: Telegram::UpdateMessageService). The payload
 * has no changed_attributes (shared FACTS §1, PR #15908), and the same event comes for a delivery
 * status, a reaction, a translation, a CSAT answer, an attachment or a content_attributes change:
 * only words that differ from the stored text are an edit. It is stored as the Meta edits are
 * (domain/message-edit.ts): new text, marked edited, earlier texts kept; no event, so a trigger
 * the message fired or a question it answered is not run again.
 * Only the customer's messages are edited: Chatwoot lets nobody change the words of an agent's
 * reply, a note, a bot's or our workflow's message (MessagesController#update sets an API inbox
 * message's status, #destroy marks it deleted, #translate adds translations:
 * app/controllers/api/v1/accounts/conversations/messages_controller.rb), while the `content` its
 * webhook carries differs from what was written (rendered for the channel:
 * app/services/messages/markdown_renderer_service.rb, WhatsApp's `*bold*` and bare links; a CSAT
 * survey's link added: MessageContentPresenter). Read as an edit, every "delivered" or "read" of an
 * older reply marked it edited, its words replaced by their rendering.
 */
export async function applyMessageEdit(ctx: MirrorContext, msg: CwMessageEvent, place?: ConversationPlace): Promise<void> {
  const row = await ctx.uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.id', 'messages.text', 'messages.edits', 'messages.attachments', 'messages.direction', 'messages.author_type', 'conversations.id as conversation_id', 'conversations.contact_id'])
    .where('messages.connection_id', '=', ctx.conn.row.id).where('messages.external_id', '=', String(msg.id)).executeTakeFirst();
  if (!row) return storeMissedMessage(ctx, msg, place);
  // Deleting in Chatwoot saves "This message was deleted" with content_attributes.deleted: a deletion, not new words.
  if (msg.content_attributes?.deleted === true) {
    ctx.notes.push(`Message ${msg.id} was deleted in Chatwoot; its copy here is kept`);
    return;
  }
  if (row.direction !== 'incoming' || row.author_type !== 'contact') return;
  const words = wordsOf(msg);
  if (!words || sameWords(words, row.text)) return;
  // The edit's own time: the embedded copy's updated_at when it is this message, else the
  // conversation's (the message's save touches it: `belongs_to :conversation, touch: true`).
  const embedded = msg.conversation.messages.find((m) => m.id === msg.id);
  const at = chatwootMessageTime([embedded?.updated_at, msg.conversation.updated_at]) ?? nowIso();
  const shown = editsOf(row);
  if (shown && at < shown.at) {
    ctx.notes.push(`Message ${msg.id}: an edit older than the one shown arrived late; ignored`);
    return;
  }
  await recordEdit(ctx.uow, ctx.services, row, { text: words.text, at });
}

/**
 * The message's words now: the conversation's embedded copy holds the raw text when it is this
 * message; otherwise the top-level content, which Chatwoot renders for the inbox's channel (FACTS
 * §1; markdown_renderer_service.rb: HTML for web, email and Telegram inboxes, WhatsApp's or
 * Instagram's markup for theirs). Null when it has none (an attachment-only message): nothing to
 * compare. `full`: before the cut to what a message stores.
 */
function wordsOf(msg: CwMessageEvent): { text: string; full: string; rendered: boolean } | null {
  const embedded = msg.conversation.messages.find((m) => m.id === msg.id);
  const raw = embedded?.content ?? msg.content ?? '';
  const rendered = embedded?.content == null;
  const full = rendered ? htmlToText(raw) : raw.trim();
  return full === '' ? null : { text: messageText(full), full, rendered };
}

/**
 * Whether the stored text says the same: exactly when the words are the raw text, else as
 * Chatwoot's rendering for the channel can say it (rendered-words.ts).
 */
function sameWords(words: { text: string; full: string; rendered: boolean }, stored: string): boolean {
  if (words.rendered) return sameAsRendered(words.full, stored);
  return stored.length >= STORED_MAX ? words.full.startsWith(stored.trim()) : words.text === stored.trim();
}
