import { z } from 'zod';
import type { Attachment } from '../../lib/contracts/channels';
import type { MessageData } from '../../lib/contracts/message-data';
import type { MetaAdReferral } from '../../lib/contracts/ad-referral';

// The items a Meta webhook delivery is read into (meta-payloads.ts: WhatsApp, ms-payloads.ts:
// Messenger), each handled on its own (meta-ingest.ts).

/** The ad a message came from, as Meta's payload says it (lib/contracts/ad-referral.ts). */
export type AdReferral = MetaAdReferral;

interface Base { channel: 'whatsapp' | 'messenger'; accountId: string | null }
/** A customer's message (or a postback the customer tapped), possibly referred by an ad. */
export interface InboundMessage extends Base {
  kind: 'message';
  /** WhatsApp: the wa_id (a phone number without "+"); Messenger: the page-scoped id. */
  senderId: string;
  name: string | null;
  /** wamid / mid; null when Meta gave none (then repeats cannot be recognised). */
  externalId: string | null;
  /** The key that makes this item happen once (wamid, mid, postback or referral identity). */
  dedupeKey: string | null;
  text: string | null;
  attachments: Attachment[];
  ad: AdReferral | null;
  /** When the customer sent it, by Meta's clock (a delivery Meta retries can arrive hours later). */
  sentAt: string | null;
  /** What it holds beyond its text (a flow's answer, contact cards, an order). */
  data?: MessageData;
  /** Not the customer's turn: a placeholder for content WhatsApp did not pass on (addMessage `aside`). */
  aside?: boolean;
  /**
   * What the message answers, when the customer's app says: Meta's id of the message it replies
   * to (WhatsApp `context.id`: the message whose button or list row was tapped, or one quoted;
   * Messenger `reply_to.mid`), and a tapped Messenger quick reply's `payload`. A question a
   * workflow asks is answered by the reply that names it (question-replies.ts).
   */
  inReplyTo?: string;
  payload?: string;
}
/**
 * A reaction to a message (WhatsApp `reaction`, Messenger `message_reactions`): shown in the
 * conversation of the message reacted to, never a contact or conversation of its own.
 */
export interface ReactionItem extends Base {
  kind: 'reaction'; senderId: string; dedupeKey: string;
  /** Meta's id of the message reacted to (ours or the customer's). */
  targetId: string;
  /** Null: the reaction was taken back. */
  emoji: string | null;
}
/**
 * A customer edited a message they sent (Messenger `message_edit`, WhatsApp `edit`): its new text,
 * shown in place of the old one and marked edited.
 */
export interface EditItem extends Base {
  kind: 'edit'; senderId: string; dedupeKey: string;
  /** Meta's id of the message edited. */
  targetId: string;
  text: string;
  /** Messenger's `num_edit` (the edit's number; null on WhatsApp): a late, older edit never replaces a newer one. */
  count: number | null;
  /** When the customer edited it, by Meta's clock. */
  at: string | null;
}
/** WhatsApp `system` `user_changed_number`: the customer's WhatsApp moved to a new number. */
export interface NumberChangeItem extends Base { kind: 'number_change'; oldWaId: string; newWaId: string; externalId: string | null; dedupeKey: string | null }
/** A change carrying `value.errors`: Meta could not process something for the number (not a message). */
export interface ErrorItem extends Base { kind: 'error'; code: number | null; title: string; details: string | null }
/** A Page's own message (is_echo): outgoing, never a contact. */
export interface EchoItem extends Base {
  kind: 'echo'; recipientId: string; externalId: string | null; text: string | null; attachments: Attachment[];
  /** The sender's `metadata`: ours names our message (channels/echo-mark.ts). */
  metadata: string | null;
}
/** A delivery status of a message the business sent (WhatsApp statuses, Messenger deliveries and reads). */
export interface StatusItem extends Base {
  kind: 'status'; externalIds: string[]; status: 'sent' | 'delivered' | 'read' | 'failed'; error: string | null;
  /**
   * Messenger: every message the Page sent this person before `before` (reads: at or before it)
   * has the status, named by id or not (`watermark`, message-deliveries / message-reads).
   */
  watermark?: { psid: string; before: string; inclusive: boolean };
}
export interface SkipItem { kind: 'skip'; reason: string }
export type MetaItem = InboundMessage | EchoItem | StatusItem | ReactionItem | EditItem | NumberChangeItem | ErrorItem | SkipItem;

export const Id = z.string().min(1).max(256);
/** A text Meta sent, at most 2000 characters (the ad referral's limit); absent or empty: null. */
export const cut = (v: string | undefined): string | null => (v ? v.slice(0, 2000) : null);
export const issue = (e: z.ZodError) => e.issues.slice(0, 2).map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; ');

/** Meta's timestamps: WhatsApp in seconds (a string), Messenger in milliseconds; never later than now. */
export function metaTime(value: unknown, unit: 's' | 'ms'): string | null {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return null;
  const ms = Math.min(unit === 's' ? n * 1000 : n, Date.now());
  return ms > Date.UTC(2010, 0, 1) ? new Date(ms).toISOString() : null;
}
