import type { Message } from '../../../lib/contracts/conversations';
import { addMessage, toMessage, type MessageAuthor } from '../../domain/conversations';
import { isUniqueViolation } from '../../store/database';
import type { StepContext } from './define';

/**
 * A message or note a step writes here while it runs outside a transaction (the contact also has
 * connected conversations), at most once per step key. The row carries the key (messages.send_key,
 * unique, as a channel send's does), so the write is its own record of being done: a separate
 * record committed after it (ctx.once) left a window where a crash posted the note twice.
 */
export async function writeOnce(
  ctx: Pick<StepContext, 'services' | 'db' | 'idempotencyKey' | 'cause' | 'note'>, conversationId: string,
  input: { text: string; kind: 'message' | 'comment'; author: MessageAuthor },
): Promise<Message> {
  const key = ctx.idempotencyKey;
  const earlier = async () => {
    const row = await ctx.services.db.selectFrom('messages').selectAll().where('send_key', '=', key).executeTakeFirst();
    if (row) ctx.note(`This ${input.kind === 'comment' ? 'note' : 'message'} was already added before a restart; not added again`);
    return row && toMessage(row);
  };
  const found = await earlier();
  if (found) return found;
  try {
    return await ctx.db((uow) => addMessage(uow, ctx.services, conversationId, { ...input, direction: 'outgoing', sendKey: key }, ctx.cause));
  } catch (err) {
    // Another instance took the run over meanwhile (its lease had run out) and wrote it first.
    if (!isUniqueViolation(err)) throw err;
    const taken = await earlier();
    if (!taken) throw err;
    return taken;
  }
}
