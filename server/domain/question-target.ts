import type { Executor } from '../store/database';

/**
 * Which workflow's question a customer's reply names, when it names one. Two workflows may ask
 * the same customer at once; a tapped button answers the question it belongs to, not whichever
 * was asked first or last (question-replies.ts).
 *
 * - WhatsApp gives the message a reply was made to in `context.id` (for a tapped reply button or
 *   list row it is the message that carried them; a quoted message too). Our ask's message row
 *   has that id and its send key, `<run>:<step>:<wait created_at>:ask` or `…:reask-<n>`
 *   (ask-question.ts), which names the run.
 *   https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#reply-button
 * - Messenger's quick replies come back without the message they were on, only with the payload
 *   they were sent with: an ask's quick replies carry `ask:<run>:<n>` (askPayload). A message
 *   swiped to reply to comes as `reply_to.mid`, read as WhatsApp's context.
 *   https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messages
 */
export interface ReplyTarget { connectionId?: string | null; inReplyTo?: string; payload?: string }

const ASK_PAYLOAD = /^ask:(run_[0-9A-Za-z]{1,60}):\d{1,3}$/;
const ASK_SEND_KEY = /^(run_[0-9A-Za-z]{1,60}):.+:(?:ask|reask-\d+)$/;

/** The payload of an ask's `n`-th choice (1-based) as a Messenger quick reply. */
export const askPayload = (runId: string, n: number) => `ask:${runId}:${n}`;

/**
 * The run whose question the reply names, or null when it names none of our questions. Any
 * conversation's: a button tapped on a question asked in a conversation since closed names that
 * question, which no longer waits, not whichever waits now.
 */
export async function repliedRun(db: Executor, target: ReplyTarget | undefined): Promise<string | null> {
  const byPayload = target?.payload ? ASK_PAYLOAD.exec(target.payload)?.[1] : undefined;
  if (byPayload) return byPayload;
  if (!target?.inReplyTo || !target.connectionId) return null;
  const replied = await db.selectFrom('messages').select('send_key')
    .where('connection_id', '=', target.connectionId).where('external_id', '=', target.inReplyTo).where('external_id', 'is not', null)
    .where('direction', '=', 'outgoing')
    .executeTakeFirst();
  return (replied?.send_key && ASK_SEND_KEY.exec(replied.send_key)?.[1]) || null;
}
