import { nowIso } from '../../ids';
import { editsOf, recordEdit } from '../../domain/message-edit';
import { chatwootMessageTime } from './message-time';
import type { MirrorContext } from './mirror-contact';
import { htmlToText, messageText, type CwMessageEvent } from './payloads';

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
export async function applyMessageEdit(ctx: MirrorContext, msg: CwMessageEvent): Promise<void> {
  const row = await ctx.uow.trx.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.id', 'messages.text', 'messages.edits', 'messages.attachments', 'messages.direction', 'messages.author_type', 'conversations.id as conversation_id', 'conversations.contact_id'])
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

/** A stored text cut to what a message holds (messageText): only its start can be compared. */
const STORED_MAX = 4096;

/**
 * Whether the stored text says the same. A rendering has lost the markdown the stored text may
 * keep (`**Order**` read `Order` or `*Order*`, `[here](https://…)` read `here` in HTML and the bare
 * address on WhatsApp, a numbered list dashed), so it is compared by its letters, digits and emoji
 * only, with a link read either way: a status change of an older message must not read as an edit.
 * What is lost is an edit of punctuation alone in a message that is not the conversation's last.
 */
function sameWords(words: { text: string; full: string; rendered: boolean }, stored: string): boolean {
  const cut = stored.length >= STORED_MAX;
  if (!words.rendered) return cut ? words.full.startsWith(stored.trim()) : words.text === stored.trim();
  const now = bare(words.full);
  const same = (was: string) => (cut ? now.startsWith(was.slice(0, Math.max(0, was.length - 1))) : now === was);
  // HTML the customer typed (`<b>`) is left out of the rendering (CommonMarker without UNSAFE).
  return [stored.replace(LINK, '$1'), stored.replace(LINK, '$2'), htmlToText(stored)].some((was) => same(bare(was)));
}

/** A markdown link: its text, its address. */
const LINK = /\[([^\]]*)\]\(([^)\s]*)\)/g;

/** Letters, digits and emoji, line by line without list markers (`1.`, `-`) that a rendering rewrites. */
const bare = (s: string) => s.replace(/^[ \t]*(?:\d{1,9}[.)]|[-*+])[ \t]+/gm, '').replace(/[^\p{L}\p{N}\p{Extended_Pictographic}]+/gu, '');
