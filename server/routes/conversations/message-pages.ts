import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MessagePage, MessagePageQuery } from '../../../lib/contracts/conversation-messages';
import { getConversation } from '../../domain/conversations';
import { messagePage } from '../../domain/message-page';
import { storedTextMasker, withShownDelivery } from '../../secrets/stored-texts';

const Params = z.object({ id: z.string().max(64) });

/**
 * A conversation's messages on their own, a page at a time, as Chatwoot's client pages them: the
 * first page is what `GET /conversations/:id` carries (its latest DETAIL_MESSAGES), whose
 * `olderMessagesCursor` starts here. Read as the conversation is (agents; app keys with conversations.read).
 */
export const messagePageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, vault } = app.services;
  app.get('/conversations/:id/messages', {
    config: { access: { role: 'agent', scope: 'conversations.read' } },
    schema: {
      tags: ['conversations'],
      summary: 'A conversation\'s messages, latest page first (Chatwoot\'s `before=`); each page oldest first; pass nextCursor as cursor for the older page',
      params: Params,
      querystring: MessagePageQuery,
      response: { 200: MessagePage },
    },
  }, async (req) => {
    // 404 for a conversation that does not exist, not an empty page.
    const conversation = await getConversation(db, req.params.id);
    // A delivery error stored before Meta's refusals were masked may quote the channel's token (stored-texts.ts).
    const [page, show] = await Promise.all([messagePage(db, conversation.id, req.query), storedTextMasker(db, vault)]);
    return { ...page, messages: page.messages.map((m) => withShownDelivery(m, show)) };
  });
};
