import { nowIso } from '../../ids';
import { editsOf, recordEdit } from '../../domain/message-edit';
import { chatwootMessageTime } from './message-time';
import type { MirrorContext } from './mirror-contact';
import { htmlToText, messageText, type CwMessageEvent } from './payloads';

/**
 * Chatwoot's `message_updated` (app/listeners/webhook_listener.rb:35-43 @ 03df4e06: the message's
 * `webhook_data` + event, built from the record reloaded in the job; message.rb
 * `after_update_commit :dispatch_update_event`, sent on ANY saved change) for a message mirrored
 * here: a customer's edit (Telegram's edited_message: Telegram::UpdateMessageService) or an agent's
 * edit of a reply. The payload has no changed_attributes (shared FACTS §1, PR #15908), and the same
 * event comes for a delivery status, a reaction, an attachment or a content_attributes change:
 * only words that differ from the stored text are an edit. It is stored as the Meta edits are
 * (domain/message-edit.ts): new text, marked edited, earlier texts kept; no event, so a trigger
 * the message fired or a question it answered is not run again.
 */
export async function applyMessageEdit(ctx: MirrorContext, msg: CwMessageEvent): Promise<void> {
  const row = await ctx.uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.id', 'messages.text', 'messages.edits', 'messages.attachments', 'conversations.id as conversation_id', 'conversations.contact_id'])
    .where('messages.connection_id', '=', ctx.conn.row.id).where('messages.external_id', '=', String(msg.id)).executeTakeFirst();
  if (!row) {
    ctx.notes.push(`Message ${msg.id} was changed in Chatwoot but is not stored here; nothing to update`);
    return;
  }
  // Deleting in Chatwoot saves "This message was deleted" with content_attributes.deleted: a deletion, not new words.
  if (msg.content_attributes?.deleted === true) {
    ctx.notes.push(`Message ${msg.id} was deleted in Chatwoot; its copy here is kept`);
    return;
  }
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
 * message; otherwise the top-level content, which Chatwoot renders as HTML for web and email
 * inboxes (FACTS §1). Null when it has none (an attachment-only message): nothing to compare.
 */
function wordsOf(msg: CwMessageEvent): { text: string; rendered: boolean } | null {
  const embedded = msg.conversation.messages.find((m) => m.id === msg.id);
  const raw = embedded?.content ?? msg.content ?? '';
  const rendered = embedded?.content == null && /<[a-z/][^>]*>/i.test(raw);
  const text = rendered ? htmlToText(raw) : raw.trim();
  return text === '' ? null : { text: messageText(text), rendered };
}

/**
 * Whether the stored text says the same. Rendered HTML has lost the markdown the stored text may
 * keep (`**Order**`, `[here](https://…)`, list dashes), so it is compared by its letters and
 * digits only: a status change of an older message in a web inbox must not read as an edit.
 */
function sameWords(words: { text: string; rendered: boolean }, stored: string): boolean {
  if (!words.rendered) return words.text === stored.trim();
  const bare = (s: string) => s.replace(/\]\([^)\s]*\)/g, ']').replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();
  return bare(words.text) === bare(stored);
}
