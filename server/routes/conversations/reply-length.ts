import type { preValidationAsyncHookHandler } from 'fastify';
import { metaLength } from '../../../lib/contracts/choice-limits';
import { REPLY_LIMITS, replyTooLong } from '../../../lib/contracts/reply-limits';
import { HttpError } from '../../http-error';
import type { Executor } from '../../store/database';

/**
 * POST /conversations/:id/messages: a reply longer than its channel takes is refused in the
 * channel's words ("WhatsApp messages can be at most 4,096 characters (yours has 5,000)"), as the
 * inbox's composer says it before sending. Before the body's schema, whose own limit (4,096, any
 * conversation) cannot name the channel. The conversation is looked up only for a text past the
 * lowest limit (Messenger's 2,000); anything odd in the body is left to the schema.
 */
export function refuseReplyTooLong(db: Executor): preValidationAsyncHookHandler {
  return async (req) => {
    const body = req.body as { text?: unknown; direction?: unknown; kind?: unknown; template?: unknown } | null | undefined;
    if (!body || typeof body !== 'object' || typeof body.text !== 'string' || body.template !== undefined) return;
    // A note or a customer's message goes to no channel.
    if (body.direction === 'incoming' || body.kind === 'comment') return;
    // Characters as Meta counts them: an emoji is one (choice-limits.ts).
    const length = metaLength(body.text.trim());
    const id = (req.params as { id?: unknown } | undefined)?.id;
    if (length <= REPLY_LIMITS.messenger || typeof id !== 'string') return;
    const row = await db.selectFrom('conversations').innerJoin('connections', 'connections.id', 'conversations.connection_id')
      .select('connections.kind').where('conversations.id', '=', id).executeTakeFirst();
    const problem = row?.kind === 'whatsapp' || row?.kind === 'messenger' ? replyTooLong(row.kind, length) : null;
    if (problem) throw new HttpError(422, 'invalid_content', `The body is invalid: body.text: ${problem}`, [{ path: 'body.text', message: problem }]);
  };
}
