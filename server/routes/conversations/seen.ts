import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConversationSeen, SeenBody } from '../../../lib/contracts/conversations';
import { requireUser } from '../../auth/plugin';
import { markSeen } from '../../domain/conversation-unread';

const Params = z.object({ id: z.string().max(64) });

/**
 * Chatwoot's `POST …/conversations/:id/update_last_seen`: the signed-in user has looked at the
 * conversation, so its `unread` in their GET /conversations is 0 until the customer writes again.
 * Per user (an API key reads no unread counts and has nothing to mark). Any role: whoever may
 * read a conversation may say they read it.
 */
export const seenRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/conversations/:id/seen', {
    config: { access: { role: 'agent' } },
    schema: {
      tags: ['conversations'],
      summary: 'You have looked at the conversation: its unread count for you is 0 (your other tabs hear conversation.seen)',
      params: Params,
      body: SeenBody.nullish(),
      response: { 200: ConversationSeen },
    },
  }, async (req) => markSeen(app.services, requireUser(req), req.params.id));
};
