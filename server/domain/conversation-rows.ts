import type { Attachment, MessageDelivery } from '../../lib/contracts/channels';
import type { Conversation, Message } from '../../lib/contracts/conversations';
import { MessageData } from '../../lib/contracts/message-data';
import { MessageEdits } from '../../lib/contracts/message-edits';
import { AdReferral } from '../../lib/contracts/ad-referral';
import { explainMetaError } from '../channels/meta-advice';
import { fromJson } from '../store/database';
import type { ConversationsTable, MessagesTable } from '../store/schema';
import { channelTypeOf } from './conversation-place';

// Stored rows as the API gives them (lib/contracts/conversations.ts). What was stored under an
// older shape reads as less, never as a 500 for the whole conversation.

export const toConversation = (r: ConversationsTable): Conversation => ({
  id: r.id, contactId: r.contact_id, status: r.status as Conversation['status'], openedBySource: r.opened_by_source,
  closedBySource: r.closed_by_source, closeReason: r.close_reason, category: r.category, summary: r.summary,
  assigneeId: r.assignee_id, openedAt: r.opened_at, closedAt: r.closed_at, firstIncomingMessage: r.first_incoming_message,
  firstResponseAt: r.first_response_at, connectionId: r.connection_id ?? null, externalId: r.external_id ?? null,
  inboxName: r.inbox_name ?? null, channelType: channelTypeOf(r),
  adReferral: adReferralOf(r.ad_referral),
});

/** A stored referral that no longer reads as the contract says is left out (null), not a 500. */
function adReferralOf(raw: string | null | undefined): AdReferral | null {
  if (!raw) return null;
  const parsed = AdReferral.safeParse(fromJson<unknown>(raw, null));
  return parsed.success ? parsed.data : null;
}

export const toMessage = (r: MessagesTable): Message => ({
  id: r.id, conversationId: r.conversation_id, direction: r.direction as Message['direction'], kind: r.kind as Message['kind'],
  author: { type: r.author_type as Message['author']['type'], id: r.author_id, ...(r.author_name ? { name: r.author_name } : {}) }, text: r.text, createdAt: r.created_at,
  ...(r.delivery_status ? { delivery: { status: r.delivery_status as MessageDelivery['status'], error: explainMetaError(r.delivery_error ?? null), externalId: r.external_id ?? null, updatedAt: r.delivery_updated_at ?? null } } : {}),
  ...(r.attachments ? { attachments: fromJson<Attachment[]>(r.attachments, []) } : {}),
  ...(r.sent_at ? { sentAt: r.sent_at } : {}),
  ...(r.thread_at ? { threadAt: r.thread_at } : {}),
  ...(r.data ? dataOf(r.data) : {}),
  ...(r.edits ? editsOf(r.edits) : {}),
});

/** Likewise for a message's edits (migration 100). */
function editsOf(raw: string): { edited?: MessageEdits } {
  const parsed = MessageEdits.safeParse(fromJson<unknown>(raw, null));
  return parsed.success ? { edited: parsed.data } : {};
}

/** Stored data that no longer reads as the contract says is left out, not a 500 for the conversation. */
function dataOf(raw: string): { data?: MessageData } {
  const parsed = MessageData.safeParse(fromJson<unknown>(raw, null));
  return parsed.success ? { data: parsed.data } : {};
}
