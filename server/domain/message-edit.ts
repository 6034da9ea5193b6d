import type { UnitOfWork } from '../events/unit-of-work';
import type { Services } from '../services';
import { fromJson, toJson } from '../store/database';
import type { Attachment } from '../../lib/contracts/channels';
import { EDITS_KEPT, MessageEdits } from '../../lib/contracts/message-edits';

/** A stored message an edit is about, as the messages row holds it. */
export interface EditedRow { id: string; text: string; edits?: string | null | undefined; attachments?: string | null | undefined; conversation_id: string; contact_id: string }

/** The edits a message shows (migration 100), or null: never edited, or kept in a shape that no longer reads. */
export function editsOf(row: Pick<EditedRow, 'edits'>): MessageEdits | null {
  if (!row.edits) return null;
  const parsed = MessageEdits.safeParse(fromJson<unknown>(row.edits, null));
  return parsed.success ? parsed.data : null;
}

/**
 * One more edit of a stored message (WhatsApp's and Messenger's `edit`, Chatwoot's
 * message_updated): it reads the new text, marked edited, its earlier texts kept (the last
 * EDITS_KEPT); a media message's caption follows its words. No event is recorded: what the
 * message started or answered is not run again. `count`: the sender's own count when it has one.
 */
export async function recordEdit(uow: UnitOfWork, services: Services, row: EditedRow, edit: { text: string; at: string; count?: number | null }) {
  const shown = editsOf(row);
  const edits: MessageEdits = {
    at: edit.at, count: edit.count ?? (shown?.count ?? 0) + 1,
    previous: [...(shown?.previous ?? []), { text: row.text, replacedAt: edit.at }].slice(-EDITS_KEPT),
  };
  // A media message's words are its caption: the bubble shows the attachment's caption only when it differs from the text.
  const attachments = fromJson<Attachment[] | null>(row.attachments, null);
  const recaptioned = attachments?.[0]?.caption === row.text ? { attachments: toJson([{ ...attachments[0], caption: edit.text }, ...attachments.slice(1)]) } : {};
  await uow.trx.updateTable('messages').set({ text: edit.text, edits: toJson(edits), ...recaptioned }).where('id', '=', row.id).execute();
  uow.afterCommit(() => services.live.publish({ type: 'conversation.changed', conversationId: row.conversation_id, contactId: row.contact_id }));
}
