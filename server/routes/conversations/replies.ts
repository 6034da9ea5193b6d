import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WhatsAppTemplateList } from '../../../lib/contracts/channels';
import { Message } from '../../../lib/contracts/conversations';
import { approvedTemplates } from '../../channels/agent-template';
import { resendReply } from '../../channels/reply-resend';
import { getConversation, toMessage } from '../../domain/conversations';
import { HttpError } from '../../http-error';
import { causeOf } from '../cause';
import { replierOfRequest } from './channel-reply';
import { IdempotencyKeyHeaders } from '../../../lib/contracts/idempotency';

const Params = z.object({ id: z.string().max(64) });
const MessageParams = z.object({ id: z.string().max(64), messageId: z.string().max(64) });

/**
 * What an agent needs to reply through a WhatsApp / Messenger channel beyond POST
 * /conversations/:id/messages: the approved templates of the conversation's number (read-only,
 * the same list as the step editor's, GET /channels/:id/whatsapp-templates, which is the admin's),
 * and Resend of a reply that failed.
 */
export const channelReplyRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const { db } = services;

  app.get('/conversations/:id/whatsapp-templates', {
    config: { access: { role: 'agent', scope: 'conversations.read' } },
    schema: {
      tags: ['conversations'],
      summary: 'The approved message templates of the conversation\'s WhatsApp number, read from Meta: what an agent can send once the 24-hour window has closed',
      params: Params, response: { 200: WhatsAppTemplateList },
    },
  }, async (req) => {
    const conversation = await getConversation(db, req.params.id);
    const connection = conversation.connectionId ? await db.selectFrom('connections').select(['id', 'kind']).where('id', '=', conversation.connectionId).executeTakeFirst() : undefined;
    if (connection?.kind !== 'whatsapp') throw new HttpError(409, 'not_whatsapp', 'This conversation is not on a WhatsApp number: message templates are WhatsApp’s');
    return { templates: await approvedTemplates(services, connection.id) };
  });

  app.post('/conversations/:id/messages/:messageId/resend', {
    config: { access: { role: 'agent', scope: 'messages.write' }, errors: { 409: '`not_resendable`: a workflow\'s message; `not_failed`: sent, or being sent; `channel_changed`: the conversation moved to another channel' } },
    schema: {
      tags: ['conversations'],
      summary: 'Send an agent\'s reply that failed (or whose outcome is unknown) through its WhatsApp / Messenger channel again, once; a repeat with the same Idempotency-Key sends nothing',
      params: MessageParams, headers: IdempotencyKeyHeaders, response: { 200: Message },
    },
  }, async (req) => {
    const conversation = await getConversation(db, req.params.id);
    const key = req.headers['idempotency-key'] ?? null;
    const outcome = await resendReply(services, {
      conversation, messageId: req.params.messageId, by: replierOfRequest(req), key, cause: causeOf(req),
      note: (m) => req.log.info({ conversationId: conversation.id }, m),
    });
    if ('error' in outcome) throw new HttpError(422, 'channel_refused', outcome.error);
    return toMessage(outcome.message);
  });
};
