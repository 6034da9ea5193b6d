import { z } from 'zod';
import { Message } from './conversations';
import { decodedCursor, listQuery, pageLimit } from './list-query';
import { timeIdCursor, type TimeIdCursor } from './time-id-cursor';

/**
 * `GET /conversations/:id/messages`: a long thread a page at a time, as Chatwoot's
 * `GET /conversations/{id}/messages?before=<message id>` gives it (its MessageFinder: the latest
 * messages first, `before` the page older than that one, each page in ascending order;
 * https://developers.chatwoot.com/api-reference/messages/get-messages). The first page is the
 * latest `limit` messages; `nextCursor` reads the page before them (null: the thread's start).
 * A page lists its messages oldest first, as `GET /conversations/:id` and the inbox show them.
 */
export const MessagePage = z.object({ messages: z.array(Message), nextCursor: z.string().nullable() });
export type MessagePage = z.infer<typeof MessagePage>;

/**
 * Where a page starts: its oldest message's time and id, `<createdAt>~<id>`. By time, not by id
 * alone: a run's activity line keeps its id when it is replaced, and moves to the thread's end
 * (domain/activity.ts), so ids are not in the thread's order.
 */
export type MessageCursor = TimeIdCursor;
export const { encode: encodeMessageCursor, decode: decodeMessageCursor } = timeIdCursor('msg_[0-9A-HJKMNP-TV-Z]{26}');

export const MessagePageQuery = listQuery({
  limit: pageLimit(50),
  cursor: decodedCursor(decodeMessageCursor).optional().describe('The `nextCursor` of the page after (newer): the messages before it'),
});
export type MessagePageQuery = z.infer<typeof MessagePageQuery>;
