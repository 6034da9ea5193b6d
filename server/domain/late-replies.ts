import type { Executor } from '../store/database';

/**
 * How long a reply from Chatwoot is held, from when it was written, before its question's run
 * takes it. Chatwoot sends webhooks from a queue in no set order: the customer's "3" may come a
 * moment after the "thanks!" they wrote just after it. Held this long, a reply written earlier
 * that comes late takes its place (replaceHeldAnswer), as the customer's first reply by
 * Chatwoot's time is the answer (a respond.io or Chatwoot bot takes it by the inbox's order).
 * Cost: a bot's next message comes up to this much later after a quick reply; a reply that
 * arrives this late already is taken at once. Meta's messages are not held: their times are in
 * whole seconds (WhatsApp), too coarse to order two quick replies by.
 */
export const SETTLE_MS = 1_500;

/** When a reply written at `writtenAt` (ISO, its inbox's clock) may be taken; null: now. */
export function settleUntil(writtenAt: string, now = Date.now()): number | null {
  const until = Date.parse(writtenAt) + SETTLE_MS;
  return until > now ? until : null;
}

/**
 * A question whose run holds an answer it has not taken yet (woken, waiting for the settle time),
 * written after this message and not before the question was put (`before`): this message becomes
 * its answer instead. Returns that run's id, null when there is none.
 */
export async function replaceHeldAnswer(db: Executor, conversationId: string, messageId: string, text: string, writtenAt: string, before: (askedAt: string) => boolean, cutoff: string): Promise<string | null> {
  const held = await db.selectFrom('question_waits').innerJoin('runs', 'runs.id', 'question_waits.run_id')
    .innerJoin('messages', 'messages.id', 'question_waits.answer_message_id')
    .select(['question_waits.run_id as run_id', 'question_waits.asked_at as asked_at', 'question_waits.created_at as created_at', 'question_waits.answer_message_id as held'])
    .where('question_waits.conversation_id', '=', conversationId).where('question_waits.answer', 'is not', null)
    .where('runs.status', '=', 'waiting').where('question_waits.expires_at', '>', cutoff).where('messages.created_at', '>', writtenAt)
    .orderBy('question_waits.asked_at', 'desc').execute();
  const target = held.find((q) => !before(q.asked_at ?? q.created_at));
  if (!target) return null;
  // Only if the run has not taken the held one meanwhile (its step deletes or clears the row).
  const set = await db.updateTable('question_waits').set({ answer: text, answer_message_id: messageId })
    .where('run_id', '=', target.run_id).where('answer_message_id', '=', target.held).executeTakeFirst();
  return Number(set.numUpdatedRows) > 0 ? target.run_id : null;
}
